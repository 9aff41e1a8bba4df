import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The JVM's start-up floor: a JDK-only TCP server that answers each line as the service
 * does. startup.sh times it from launch to first reply next to the service, in the same
 * run, so that the service's start is read as a multiple of what any JVM needs.
 */
public class Floor {

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		DateTimeFormatter ctime = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH);
		try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
			while (true) {
				try (Socket socket = server.accept()) {
					BufferedReader in = new BufferedReader(
							new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
					OutputStream out = socket.getOutputStream();
					for (String line = in.readLine(); line != null; line = in.readLine()) {
						String reply = "[" + ctime.format(ZonedDateTime.now()) + "] " + line + "\r\n";
						out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
						out.flush();
					}
				}
			}
		}
	}

}
