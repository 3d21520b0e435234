package dk.brobygger.core

import java.nio.file.Files
import java.nio.file.Path
import dk.brobygger.platform.PlatformKeyStore
import dk.brobygger.platform.SoftwareKeyProvider
import java.time.Duration
import java.time.Instant

/**
 * A KeyStore as the Android shell has one: the shell's own [PlatformKeyStore] (HMAC PIN factor,
 * AES-GCM wrapping), over a software key map standing in for the Android Keystore.
 */
class JvmKeyStore(val provider: SoftwareKeyProvider = SoftwareKeyProvider()) : KeyStore by PlatformKeyStore(provider) {
    fun keyCount() = provider.names().size
}

/** A clock the test moves by hand. */
class TestClock(var now: Instant = Instant.parse("2026-03-31T08:00:00Z")) : Clock {
    override fun now(): Instant = now
    fun advance(d: Duration) { now = now.plus(d) }
}

fun tempVaultDir(): Path = Files.createTempDirectory("brobygger-kt").resolve("vault")

const val PIN = "482915"
