package dk.brobygger.app

import android.net.Uri
import androidx.activity.result.ActivityResultLauncher
import androidx.core.content.ContextCompat
import dk.brobygger.platform.android.DocumentCopier
import dk.brobygger.shell.Saved
import java.io.File
import java.util.concurrent.Executor

/**
 * The system's file picker for the shell: one request at a time, the activity's launchers
 * (re-attached after a rotation), and the copies on [io] through the platform's [DocumentCopier].
 */
class Documents(private val app: BrobyggerApplication, val copier: DocumentCopier, private val io: Executor) {
    /** The current activity's launchers: CreateDocument (binary, HTML) and OpenDocument. */
    class Launchers(
        val createBinary: ActivityResultLauncher<String>,
        val createHtml: ActivityResultLauncher<String>,
        val open: ActivityResultLauncher<Array<String>>,
    )

    @Volatile var launchers: Launchers? = null

    private sealed interface Pending {
        class Out(val file: File?, val bytes: ByteArray?, val done: (Saved) -> Unit) : Pending
        class In(val done: (File?) -> Unit) : Pending
    }

    @Volatile private var pending: Pending? = null

    private fun replace(next: Pending?) {
        when (val old = pending) {
            is Pending.Out -> io.execute { old.file?.delete(); old.done(Saved.CANCELLED) }
            is Pending.In -> io.execute { old.done(null) }
            null -> {}
        }
        pending = next
    }

    /** Ask where [file] (or [bytes]) goes; [done] on [io] once copied, cancelled or failed. */
    fun save(file: File?, bytes: ByteArray?, name: String, mimeType: String, done: (Saved) -> Unit) = main {
        val l = launchers ?: return@main io.execute { file?.delete(); done(Saved.FAILED) }
        replace(Pending.Out(file, bytes, done))
        (if (mimeType == "text/html") l.createHtml else l.createBinary).launch(name)
    }

    fun open(done: (File?) -> Unit) = main {
        val l = launchers ?: return@main io.execute { done(null) }
        replace(Pending.In(done))
        l.open.launch(arrayOf("*/*"))
    }

    /** CreateDocument answered (null: cancelled). */
    fun created(uri: Uri?) {
        val p = pending as? Pending.Out ?: return
        pending = null
        io.execute {
            if (uri == null) {
                p.file?.delete()
                return@execute p.done(Saved.CANCELLED)
            }
            val ok = if (p.file != null) copier.saveFile(p.file, uri) else copier.saveBytes(p.bytes ?: ByteArray(0), uri)
            p.done(if (ok) Saved.SAVED else Saved.FAILED)
        }
    }

    /** OpenDocument answered (null: cancelled). */
    fun opened(uri: Uri?) {
        val p = pending as? Pending.In ?: return
        pending = null
        io.execute { p.done(uri?.let(copier::open)) }
    }

    /** Copies a killed process left in the cache go (at the first start of the activity). */
    fun clearLeftovers() = io.execute { copier.clearLeftovers() }

    private fun main(block: () -> Unit) = ContextCompat.getMainExecutor(app).execute(block)
}
