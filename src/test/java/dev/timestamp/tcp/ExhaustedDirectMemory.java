package dev.timestamp.tcp;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * An allocator whose direct memory has run out: every direct allocation fails as the
 * JVM's do when {@code -XX:MaxDirectMemorySize} is reached; heap buffers still work.
 */
public final class ExhaustedDirectMemory extends AbstractByteBufAllocator {

	public ExhaustedDirectMemory() {
		super(true);
	}

	@Override
	protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
		return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
	}

	@Override
	protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
		throw new OutOfMemoryError("Cannot reserve " + initialCapacity + " bytes of direct buffer memory (test)");
	}

	@Override
	public boolean isDirectBufferPooled() {
		return false;
	}

}
