package dev.timestamp.startup;

import dev.timestamp.config.TimestampProperties;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.stereotype.Component;

/**
 * Loads every SSL bundle before the listeners open, naming the one that cannot be loaded.
 * Spring Boot loads them all at start-up anyway, used or not (its ssl metrics read each
 * certificate), but a failure there is a stack trace that names no bundle. The TLS
 * listener's own bundle is left to the listener, which checks more of it.
 */
@Component
class SslBundlesCheck implements InitializingBean {

	private final ObjectProvider<SslBundles> bundles;

	private final TimestampProperties properties;

	SslBundlesCheck(ObjectProvider<SslBundles> bundles, TimestampProperties properties) {
		this.bundles = bundles;
		this.properties = properties;
	}

	@Override
	public void afterPropertiesSet() {
		SslBundles bundles = this.bundles.getIfAvailable();
		if (bundles == null) {
			return;
		}
		TimestampProperties.Tls tls = this.properties.tls();
		for (String name : bundles.getBundleNames()) {
			if (tls.enabled() && name.equals(tls.bundle())) {
				continue;
			}
			try {
				SslStoreBundle stores = bundles.getBundle(name).getStores();
				stores.getKeyStore();
				stores.getTrustStore();
			}
			catch (RuntimeException ex) {
				throw TlsBundleException.unusedAndUnreadable(name, ex);
			}
		}
	}

}
