package dev.timestamp.tcp.admission;

import dev.timestamp.tcp.connection.ClientAddress;
import dev.timestamp.tcp.connection.CloseReason;
import dev.timestamp.tcp.connection.ConnectionEnd;
import dev.timestamp.tcp.connection.TcpMetrics;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Admits a connection once its client is known, or closes it on the spot when that
 * client's source is over the cap per source (or the server has stopped accepting); an
 * admitted connection goes on without this handler. With the PROXY protocol on, the
 * client is known after the header, so this handler sits after it. The cap in all was
 * decided earlier, in accept order ({@link CapOnAccept}).
 */
@Sharable
public final class SourceAdmission extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(SourceAdmission.class);

	private final ConnectionLimits limits;

	private final TcpMetrics metrics;

	public SourceAdmission(ConnectionLimits limits, TcpMetrics metrics) {
		this.limits = limits;
		this.metrics = metrics;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		CloseReason over = this.limits.admitFromSource(ctx.channel(), ClientAddress.of(ctx.channel()).getAddress());
		if (over != null) {
			this.metrics.rejected(over);
			if (logger.isDebugEnabled()) {
				logger.debug("Connection from " + ClientAddress.describe(ctx.channel()) + " closed: "
						+ ((over == CloseReason.PER_SOURCE) ? "over the connections allowed per source"
								: "no longer accepting connections"));
			}
			ConnectionEnd.close(ctx.channel(), over);
			return;
		}
		ctx.fireChannelActive();
		ctx.pipeline().remove(this);
	}

}
