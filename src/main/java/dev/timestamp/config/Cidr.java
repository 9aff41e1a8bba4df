package dev.timestamp.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

/**
 * An address range such as {@code 10.0.0.0/8} or {@code fd00::/8}; a plain address is a
 * range of one. IPv4 addresses seen through a dual-stack socket as IPv4-mapped IPv6
 * addresses match IPv4 ranges. Not Netty's {@code IpSubnetFilterRule}: it resolves host
 * names and needs a prefix, where a setting must be an address and a plain one is a range
 * of one.
 *
 * @param network the range's first address
 * @param prefixLength leading bits that must match
 */
public record Cidr(InetAddress network, int prefixLength) {

	/** Parses {@code address[/prefix]}; used by Spring's conversion for settings. */
	public static Cidr valueOf(String text) {
		String trimmed = text.trim();
		int slash = trimmed.indexOf('/');
		String address = (slash < 0) ? trimmed : trimmed.substring(0, slash);
		byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
		if (bytes == null) {
			throw new IllegalArgumentException(
					"'" + text + "' is not an IP address or CIDR range (such as 10.0.0.0/8)");
		}
		int maxBits = bytes.length * 8;
		int bits = maxBits;
		if (slash >= 0) {
			try {
				bits = Integer.parseInt(trimmed.substring(slash + 1));
			}
			catch (NumberFormatException ex) {
				bits = -1;
			}
			if (bits < 0 || bits > maxBits) {
				throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + maxBits);
			}
		}
		return new Cidr(NetUtil.createInetAddressFromIpAddressString(address), bits);
	}

	/** Whether {@code address} lies in this range. */
	public boolean contains(InetAddress address) {
		byte[] candidate = comparable(address.getAddress(), this.network instanceof Inet4Address);
		byte[] range = this.network.getAddress();
		if (candidate == null || candidate.length != range.length) {
			return false;
		}
		int whole = this.prefixLength / 8;
		for (int i = 0; i < whole; i++) {
			if (candidate[i] != range[i]) {
				return false;
			}
		}
		int rest = this.prefixLength % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xFF << (8 - rest)) & 0xFF;
		return (candidate[whole] & mask) == (range[whole] & mask);
	}

	/** An IPv4-mapped IPv6 address compared against an IPv4 range is its IPv4 part. */
	private static byte @Nullable [] comparable(byte[] address, boolean ipv4Range) {
		if (ipv4Range && address.length == 16 && isIpv4Mapped(address)) {
			return Arrays.copyOfRange(address, 12, 16);
		}
		return address;
	}

	private static boolean isIpv4Mapped(byte[] address) {
		for (int i = 0; i < 10; i++) {
			if (address[i] != 0) {
				return false;
			}
		}
		return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
	}

	@Override
	public String toString() {
		return NetUtil.toAddressString(this.network) + "/" + this.prefixLength;
	}

}
