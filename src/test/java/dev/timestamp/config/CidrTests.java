package dev.timestamp.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import io.netty.util.NetUtil;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Cidr}, the type of {@code timestamp.tcp.proxy-protocol.trusted-sources}.
 */
class CidrTests {

	@Test
	void matchesAddressesInsideTheRangeOnly() {
		Cidr range = Cidr.valueOf("10.1.0.0/16");
		assertThat(range.contains(address("10.1.255.7"))).isTrue();
		assertThat(range.contains(address("10.2.0.1"))).isFalse();
		assertThat(range.contains(address("::1"))).isFalse();
	}

	@Test
	void matchesPrefixesThatEndInsideAByte() {
		Cidr range = Cidr.valueOf("192.0.2.64/26");
		assertThat(range.contains(address("192.0.2.127"))).isTrue();
		assertThat(range.contains(address("192.0.2.128"))).isFalse();
		assertThat(range.contains(address("192.0.2.63"))).isFalse();
	}

	@Test
	void aPlainAddressIsARangeOfOne() {
		Cidr one = Cidr.valueOf(" 2001:db8::1 ");
		assertThat(one.prefixLength()).isEqualTo(128);
		assertThat(one.contains(address("2001:db8::1"))).isTrue();
		assertThat(one.contains(address("2001:db8::2"))).isFalse();
	}

	@Test
	void ipv4MappedAddressesMatchIpv4Ranges() {
		byte[] mapped = new byte[16];
		mapped[10] = (byte) 0xFF;
		mapped[11] = (byte) 0xFF;
		mapped[12] = 10;
		mapped[15] = 9;
		assertThat(Cidr.valueOf("10.0.0.0/8").contains(ipv6(mapped))).isTrue();
	}

	@Test
	void zeroPrefixMatchesTheWholeFamily() {
		assertThat(Cidr.valueOf("0.0.0.0/0").contains(address("203.0.113.9"))).isTrue();
		assertThat(Cidr.valueOf("::/0").contains(address("2001:db8::9"))).isTrue();
	}

	@Test
	void rejectsWhatIsNotARange() {
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.valueOf("10.0.0.0/33"))
			.withMessageContaining("0..32");
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.valueOf("example.com"))
			.withMessageContaining("not an IP address");
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.valueOf("10.0.0.0/x"));
	}

	private static InetAddress address(String literal) {
		return NetUtil.createInetAddressFromIpAddressString(literal);
	}

	private static InetAddress ipv6(byte[] bytes) {
		try {
			return Inet6Address.getByAddress(null, bytes, -1);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
