package dk.brobygger.platform.android

import android.content.ContentResolver
import android.net.Uri
import android.util.Log
import java.io.File
import java.io.IOException
import java.util.UUID

/**
 * Copies between the app's cache and the documents the system's file picker chose
 * (`ACTION_CREATE_DOCUMENT` / `ACTION_OPEN_DOCUMENT` hand back content Uris): a backup the core
 * wrote into the cache goes out to the picked place, a picked backup comes into the cache for the
 * core to read. Cache copies live in `cache/documents` only as long as they are needed; a copy
 * going out is deleted whatever happens. Blocking: never on the main thread. Logs carry no names.
 */
class DocumentCopier(private val resolver: ContentResolver, cacheDir: File) {
    private val dir = File(cacheDir, "documents")

    /** A path for a new file in the cache (not there yet: the core creates it). */
    fun cacheFile(prefix: String): File {
        checkNotMainThread()
        dir.mkdirs()
        return File(dir, "$prefix-${UUID.randomUUID()}.tmp")
    }

    /** Copies [file] to [uri] (truncating what was there) and deletes [file]; false when the place would not take it. */
    fun saveFile(file: File, uri: Uri): Boolean = try {
        checkNotMainThread()
        file.inputStream().use { input -> write(uri) { out -> input.copyTo(out) } }
    } catch (e: IOException) {
        Log.w(TAG, "the file could not be read back from the cache")
        false
    } finally {
        file.delete()
    }

    /** Writes [bytes] (held in memory only) to [uri]; false when the place would not take them. */
    fun saveBytes(bytes: ByteArray, uri: Uri): Boolean {
        checkNotMainThread()
        return write(uri) { it.write(bytes) }
    }

    private fun write(uri: Uri, body: (java.io.OutputStream) -> Unit): Boolean = try {
        val out = resolver.openOutputStream(uri, "wt") ?: throw IOException("no stream")
        out.use(body)
        true
    } catch (e: IOException) {
        Log.w(TAG, "the picked document could not be written: ${e.javaClass.simpleName}")
        false
    } catch (e: SecurityException) {
        Log.w(TAG, "the picked document may not be written")
        false
    }

    /** Copies the document at [uri] into the cache; null when it cannot be read (nothing is left behind then). */
    fun open(uri: Uri): File? {
        checkNotMainThread()
        val target = cacheFile("picked")
        return try {
            val input = resolver.openInputStream(uri) ?: throw IOException("no stream")
            input.use { i -> target.outputStream().use { o -> i.copyTo(o) } }
            target
        } catch (e: IOException) {
            Log.w(TAG, "the picked document could not be read: ${e.javaClass.simpleName}")
            target.delete()
            null
        } catch (e: SecurityException) {
            Log.w(TAG, "the picked document may not be read")
            target.delete()
            null
        }
    }

    /** Removes cache copies a process that died mid-way left behind (call at app start, off the main thread). */
    fun clearLeftovers() {
        dir.listFiles()?.forEach { it.delete() }
    }

    private companion object {
        const val TAG = "BrobyggerDocuments"
    }
}
