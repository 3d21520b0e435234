package dk.brobygger.shell

import dk.brobygger.core.KeyPurpose
import dk.brobygger.core.KeyStore
import dk.brobygger.core.createVault
import dk.brobygger.platform.PlatformKeyStore
import dk.brobygger.platform.SoftwareKeyProvider
import java.nio.file.Files
import java.util.Collections
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asCoroutineDispatcher
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** The holders on real threads: where the core's work runs, and that saves never overlap. */
class HolderThreadsTest {
    /** The platform key store, noting which thread each call came from. */
    private class Watching(private val inner: KeyStore) : KeyStore {
        val threads: MutableSet<String> = Collections.synchronizedSet(HashSet())
        override fun pinFactor(keyName: String, input: ByteArray, create: Boolean) = inner.pinFactor(keyName, input, create).also { threads += Thread.currentThread().name.substringBefore(" @") }
        override fun wrap(keyName: String, purpose: KeyPurpose, secret: ByteArray) = inner.wrap(keyName, purpose, secret).also { threads += Thread.currentThread().name.substringBefore(" @") }
        override fun unwrap(keyName: String, purpose: KeyPurpose, wrapped: ByteArray) = inner.unwrap(keyName, purpose, wrapped).also { threads += Thread.currentThread().name.substringBefore(" @") }
        override fun deleteKey(keyName: String) = inner.deleteKey(keyName).also { threads += Thread.currentThread().name.substringBefore(" @") }
    }

    private val clock = MovingClock(cph("2026-03-30T09:00"))
    private fun dir() = Files.createTempDirectory("brobygger-threads").resolve("vault").toString()

    @Test
    fun unlockingRunsThePinKdfOnTheDispatcherNeverOnTheCallersThread() {
        val keys = Watching(PlatformKeyStore(SoftwareKeyProvider()))
        val vault = createVault(dir(), PIN, keys, clock).vault
        vault.lock()
        keys.threads.clear()
        val io = Executors.newSingleThreadExecutor { Thread(it, "core-io") }
        val unlocked = CountDownLatch(1)
        val holder = UnlockState(vault, io.asCoroutineDispatcher(), Hooks(), onUnlocked = { unlocked.countDown() })
        holder.onPin(PIN)
        holder.unlock() // what the button does, on the UI thread
        assertTrue(unlocked.await(30, TimeUnit.SECONDS))
        assertTrue(vault.isUnlocked())
        assertEquals("every key store call (the PIN factor inside the KDF's check) on the dispatcher", setOf("core-io"), keys.threads.toSet())
        holder.close()
        io.shutdown()
    }

    @Test
    fun fastTypingOnManyThreadsMakesOneDraftWithTheLastText() {
        val folder = TestFolder(dir(), PlatformKeyStore(SoftwareKeyProvider()), clock)
        val vault = folder.create(PIN).vault
        val holder = NoteHolder(vault, Dispatchers.IO, Hooks(), null, null, debounceMillis = 1)
        var text = ""
        repeat(60) { i ->
            text += "ord$i "
            holder.onText(text)
            if (i % 7 == 0) Thread.sleep(3) // some pauses long enough to save mid-way
        }
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
        while (holder.state.value.save != NoteUi.Save.SAVED) {
            check(System.nanoTime() < deadline)
            Thread.sleep(5)
        }
        val notes = vault.listNotes(null, null, null).items
        assertEquals("saves never overlap into a second draft", 1, notes.size)
        assertEquals(text.trim(), vault.getNote(notes[0].id).text.trim())
        holder.close()
    }
}
