/**
 * The TCP transport: a Netty-backed Spring Integration server connection factory
 * ({@code NettyTcpServerConnectionFactory}) and the flow from its inbound adapter through
 * the timestamping service to its outbound adapter ({@code TcpFlowConfiguration}).
 * <p>
 * A connection's pipeline, in the order its bytes meet it, with each handler's package:
 * <ol>
 * <li>{@code ConnectionAccounting} ({@code admission}): opened and closed counts; closes
 * a connection that {@code CapOnAccept}, on the listener, found over the cap in all;</li>
 * <li>{@code ProxyProtocolDetector} ({@code proxy}), when the PROXY protocol is on, which
 * hands a trusted peer's header to Netty's {@code HAProxyMessageDecoder} and
 * {@code ProxyHeaderHandler};</li>
 * <li>{@code SourceAdmission} ({@code admission}): the cap per source;</li>
 * <li>on the TLS listener, what {@code TlsTermination.install} adds ({@code tls}):
 * {@code TlsPartialRecord}, Netty's {@code SslHandler}, {@code TlsHandshakeGate},
 * {@code TlsRecordReplies};</li>
 * <li>{@code FramingHandler} ({@code framing}), with its {@code ReadPressure}
 * (back-pressure and the memory bound of {@code memory}); on a listener whose connection
 * is the request (Time, Daytime), {@code RequestOnConnect} ({@code framing})
 * instead;</li>
 * <li>{@code MaxConnectionAge} ({@code framing}), when set;</li>
 * <li>{@code ConnectionBridge} (here): the Spring Integration connection;</li>
 * <li>{@code IdleTimeout} ({@code framing}), last so that replies do not pass through it;
 * the bridge restarts its clock after each read batch that held requests.</li>
 * </ol>
 * Dependencies point one way: this package uses the others, {@code tls} uses
 * {@code framing} and {@code memory}, {@code framing} uses {@code memory}, and all use
 * {@code connection}, a connection's state and the one way it ends, which uses none.
 */
@NullMarked
package dev.timestamp.tcp;

import org.jspecify.annotations.NullMarked;
