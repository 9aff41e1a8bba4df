package dev.timestamp.netty;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.internal.PlatformDependent;

/**
 * The direct memory in which Netty keeps what it has read and not yet sent: its limit
 * ({@code -XX:MaxDirectMemorySize}, by default the heap's maximum) and how much of it is
 * in use, counted where an allocation would fail. Netty either allocates through the
 * JDK's direct buffers (as on Java 17), which the JDK counts, or (as on Java 25) counts
 * its own allocations against the same limit.
 */
public final class DirectMemory {

	private static final BufferPoolMXBean JDK_POOL = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
		.stream()
		.filter((pool) -> "direct".equals(pool.getName()))
		.findFirst()
		.orElseThrow(() -> new IllegalStateException("this JVM reports no direct buffer pool"));

	private DirectMemory() {
	}

	/** Bytes of direct memory Netty may allocate. */
	public static long limit() {
		return PlatformDependent.maxDirectMemory();
	}

	/**
	 * Publishes the use and the limit: on Java 25 the JVM's own
	 * {@code jvm.buffer.memory.used} leaves Netty's buffers out.
	 */
	public static void bindTo(MeterRegistry registry) {
		Gauge.builder("timestamp.direct.memory.used", DirectMemory::used)
			.description("Direct memory in use for socket buffers, as its limit counts it")
			.baseUnit("bytes")
			.register(registry);
		Gauge.builder("timestamp.direct.memory.max", DirectMemory::limit)
			.description("Direct memory allowed (-XX:MaxDirectMemorySize)")
			.baseUnit("bytes")
			.register(registry);
	}

	/** Bytes of direct memory in use now, as the limit counts them. */
	public static long used() {
		long countedByNetty = PlatformDependent.usedDirectMemory();
		return (countedByNetty >= 0) ? countedByNetty : JDK_POOL.getMemoryUsed();
	}

}
