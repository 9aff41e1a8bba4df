package dev.timestamp.lifecycle;

import org.springframework.context.SmartLifecycle;

/**
 * A lifecycle in a fixed phase that runs from its start to its stop; subclasses do their
 * work in {@link #start()} or {@link #stop()} and call the super method.
 */
public abstract class PhasedLifecycle implements SmartLifecycle {

	/**
	 * Where the listeners open: just after Spring Integration starts its inbound adapters
	 * ({@code Integer.MAX_VALUE / 2}), before the HTTP server.
	 */
	public static final int LISTENERS_OPEN = Integer.MAX_VALUE / 2 + 1;

	private final int phase;

	private volatile boolean running;

	protected PhasedLifecycle(int phase) {
		this.phase = phase;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public final boolean isRunning() {
		return this.running;
	}

	@Override
	public final int getPhase() {
		return this.phase;
	}

}
