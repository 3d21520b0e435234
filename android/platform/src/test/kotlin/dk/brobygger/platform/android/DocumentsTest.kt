package dk.brobygger.platform.android

import android.net.Uri
import dk.brobygger.core.Language
import dk.brobygger.core.createVault
import dk.brobygger.core.verifyBackupWithRecoveryKey
import dk.brobygger.platform.PlatformKeyStore
import dk.brobygger.platform.SoftwareKeyProvider
import org.junit.After
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.IOException
import java.io.InputStream
import java.io.OutputStream
import java.nio.file.Files
import java.util.concurrent.Executors

/**
 * The copies between the cache and the file picker's documents, with a real backup from the
 * core: what goes out is the core's file byte for byte and the cache copy is gone; what comes in
 * opens with the recovery key; a place that refuses leaves nothing behind in the cache.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class DocumentsTest {
    private val app = RuntimeEnvironment.getApplication()
    private val resolver = shadowOf(app.contentResolver)
    private val copier = DocumentCopier(app.contentResolver, app.cacheDir)
    private val worker = Executors.newSingleThreadExecutor()
    private fun <T> off(block: () -> T): T = worker.submit<T> { block() }.get()
    private val documents get() = File(app.cacheDir, "documents").listFiles()?.toList() ?: emptyList()

    @After
    fun stop() {
        worker.shutdownNow()
    }

    @Test
    fun aBackupGoesOutWholeAndComesBackInThatOpensWithTheRecoveryKey() {
        val dir = Files.createTempDirectory("brobygger-docs").resolve("vault").toString()
        val created = createVault(dir, "482915", PlatformKeyStore(SoftwareKeyProvider()), MovingClock(cph("2026-03-20T12:00")))
        val file = off { copier.cacheFile("backup") }
        assertFalse("a path for the core to create", file.exists())
        off { created.vault.createBackup(file.path) }
        val written = file.readBytes()
        assertTrue(written.size > 100)

        val out = ByteArrayOutputStream()
        val picked = Uri.parse("content://com.android.externalstorage.documents/document/backup")
        resolver.registerOutputStream(picked, out)
        assertTrue(off { copier.saveFile(file, picked) })
        assertArrayEquals(written, out.toByteArray())
        assertFalse("the cache copy is deleted", file.exists())
        assertEquals(emptyList<File>(), documents)

        val opened = Uri.parse("content://com.android.externalstorage.documents/document/opened")
        resolver.registerInputStream(opened, ByteArrayInputStream(out.toByteArray()))
        val copy = off { copier.open(opened) }!!
        assertTrue(copy.path.startsWith(File(app.cacheDir, "documents").path))
        val check = verifyBackupWithRecoveryKey(copy.path, created.recoveryKey.reveal(), Language.DA)
        assertNull(check.message, check.defect)
        assertEquals(written.size.toULong(), check.bytes)
        created.vault.close()
    }

    @Test
    fun aPlaceThatRefusesLeavesNothingInTheCache() {
        val file = off { copier.cacheFile("backup") }.apply { writeBytes(ByteArray(64) { it.toByte() }) }
        val full = Uri.parse("content://com.android.externalstorage.documents/document/full")
        resolver.registerOutputStream(full, object : OutputStream() {
            override fun write(b: Int) = throw IOException("no space")
        })
        assertFalse(off { copier.saveFile(file, full) })
        assertFalse("deleted even when the copy failed", file.exists())
        assertFalse(off { copier.saveBytes("<html></html>".toByteArray(), full) })

        val unreadable = Uri.parse("content://com.android.externalstorage.documents/document/gone")
        resolver.registerInputStream(unreadable, object : InputStream() {
            override fun read(): Int = throw IOException("gone")
        })
        assertNull(off { copier.open(unreadable) })
        assertEquals(emptyList<File>(), documents)
    }

    @Test
    fun anExportIsWrittenFromMemory() {
        val out = ByteArrayOutputStream()
        val picked = Uri.parse("content://com.android.externalstorage.documents/document/export")
        resolver.registerOutputStream(picked, out)
        val html = "<!doctype html><p>Indsigt</p>".toByteArray()
        assertTrue(off { copier.saveBytes(html, picked) })
        assertArrayEquals(html, out.toByteArray())
        assertEquals(emptyList<File>(), documents)
    }

    @Test(expected = IllegalStateException::class)
    fun refusedOnTheMainThread() {
        copier.cacheFile("backup")
    }
}
