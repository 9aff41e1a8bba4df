package dev.timestamp.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * A UDP socket of the tests' own on a loopback address: it sends datagrams to the
 * server's port and receives the replies, giving up after 5 s so that a missing reply
 * fails the test.
 */
public final class UdpTestSocket implements AutoCloseable {

	private final DatagramSocket socket;

	private final InetAddress server;

	private UdpTestSocket(InetAddress local, InetAddress server) {
		try {
			this.socket = new DatagramSocket(0, local);
			this.socket.setSoTimeout(5000);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server = server;
	}

	/** A socket on 127.0.0.1 that sends to 127.0.0.1. */
	public static UdpTestSocket loopback() {
		return new UdpTestSocket(InetAddress.getLoopbackAddress(), InetAddress.getLoopbackAddress());
	}

	/** A socket on ::1 that sends to ::1. */
	public static UdpTestSocket ipv6Loopback() {
		try {
			InetAddress loopback = InetAddress.getByName("::1");
			return new UdpTestSocket(loopback, loopback);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A socket on another loopback address (a source of its own), sending to 127.0.0.1.
	 */
	public static UdpTestSocket on(String localAddress) {
		try {
			return new UdpTestSocket(InetAddress.getByName(localAddress), InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public UdpTestSocket send(int port, byte[] datagram) {
		try {
			this.socket.send(new DatagramPacket(datagram, datagram.length, this.server, port));
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The next datagram; fails after 5 s without one. */
	public DatagramPacket receive() {
		DatagramPacket packet = new DatagramPacket(new byte[70_000], 70_000);
		try {
			this.socket.receive(packet);
			return packet;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The next datagram's bytes. */
	public byte[] receivePayload() {
		DatagramPacket packet = receive();
		return Arrays.copyOf(packet.getData(), packet.getLength());
	}

	/**
	 * Receives until nothing more comes within {@code quietMillis}; returns how many
	 * came.
	 */
	public int drain(int quietMillis) {
		int count = 0;
		try {
			this.socket.setSoTimeout(quietMillis);
			while (true) {
				this.socket.receive(new DatagramPacket(new byte[70_000], 70_000));
				count++;
			}
		}
		catch (SocketTimeoutException ex) {
			return count;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public DatagramSocket socket() {
		return this.socket;
	}

	@Override
	public void close() {
		this.socket.close();
	}

}
