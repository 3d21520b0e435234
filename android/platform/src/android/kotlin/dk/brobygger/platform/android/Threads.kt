package dk.brobygger.platform.android

import android.os.Looper

/**
 * Core calls block (disk, key store, the PIN's KDF) and the SMS sender waits for the radio:
 * none of it may run on the main thread.
 */
internal fun checkNotMainThread() {
    check(Looper.myLooper() != Looper.getMainLooper()) { "blocking call on the main thread" }
}
