package dev.timestamp.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.timestamp.support.Installed;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace of the server's own whose loopback carries the UDP replies from one
 * port at 8 Mbit/s (Linux traffic control, as a saturated link or a pod's egress
 * bandwidth limit would): once the replies queued in the kernel fill the socket's send
 * buffer, the kernel refuses further sends. Needs root (or CAP_NET_ADMIN and
 * CAP_SYS_ADMIN) and iproute2's {@code ip} and {@code tc}.
 */
final class ShapedNetwork {

	/** The UDP port whose replies are shaped: fixed, in a namespace no one else uses. */
	static final int UDP_PORT = 7001;

	private static final String SETUP = "ip link set lo up"
			+ " && tc qdisc add dev lo root handle 1: htb default 1 r2q 100"
			+ " && tc class add dev lo parent 1: classid 1:1 htb rate 1gbit"
			+ " && tc class add dev lo parent 1: classid 1:2 htb rate 8mbit"
			+ " && tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip protocol 17 0xff match ip sport "
			+ UDP_PORT + " 0xffff flowid 1:2";

	private ShapedNetwork() {
	}

	/**
	 * The launcher that runs a command in a new shaped namespace; skips the calling test,
	 * saying why, where one cannot be made here.
	 */
	static List<String> launcher() throws IOException, InterruptedException {
		Installed.program("tc", "iproute2");
		Installed.program("unshare", "util-linux");
		Installed.program("nsenter", "util-linux");
		Process trial = new ProcessBuilder("unshare", "--net", "sh", "-c", SETUP).redirectErrorStream(true).start();
		String output = new String(trial.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		boolean made = trial.waitFor(30, TimeUnit.SECONDS) && trial.exitValue() == 0;
		Assumptions.assumeTrue(made, () -> "cannot make a network namespace with traffic control here (needs root, "
				+ "or CAP_NET_ADMIN and CAP_SYS_ADMIN, and the kernel's htb and u32): " + output.strip());
		return List.of("unshare", "--net", "sh", "-c", SETUP + " && exec \"$@\"", "sh");
	}

	/** The launcher that runs a command in the namespace of the given process. */
	static List<String> enter(long pid) {
		return List.of("nsenter", "--net=/proc/" + pid + "/ns/net");
	}

}
