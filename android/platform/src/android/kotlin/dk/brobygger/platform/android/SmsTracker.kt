package dk.brobygger.platform.android

import android.content.Context
import android.content.SharedPreferences
import java.security.SecureRandom
import java.util.concurrent.TimeUnit

/** One hand-over of a text to the radio, as far as the part reports have told. */
data class SendRecord(
    val token: String,
    val reminderId: String,
    val createdAt: Long,
    val sent: List<PartSent?>,
    val delivery: List<DeliveryStatus?>,
    /** The send result is in the core (by the sender, or late by [Outbox]). */
    val sentRecorded: Boolean = false,
    val deliveryRecorded: Boolean = false,
) {
    val parts: Int get() = sent.size
    val allSent: Boolean get() = sent.all { it != null }
    val allDelivered: Boolean get() = delivery.all { it == DeliveryStatus.DELIVERED }
    /** Every part has a final status report (or one part failed, which settles the text). */
    val deliverySettled: Boolean
        get() = delivery.any { it == DeliveryStatus.FAILED } || delivery.all { it == DeliveryStatus.DELIVERED }
}

/**
 * Keeps track of each text's parts between the hand-over to SmsManager and the last report.
 *
 * Reports arrive as broadcasts, one per part, possibly in a process started after the one that
 * sent (the app was killed meanwhile), and delivery reports may come hours later. So each
 * hand-over is written down (SharedPreferences, committed before the radio sees the text) under
 * a fresh random token that also names its PendingIntents, and every report is added to it.
 * A sender waiting in this process is woken by each report ([await]); when none waits, the
 * caller records the late result in the core.
 *
 * What is kept: reminder ids, tokens, part counts and result codes; never numbers or texts.
 */
class SmsTracker(private val prefs: SharedPreferences, private val clock: () -> Long = System::currentTimeMillis) {
    constructor(context: Context) : this(context.getSharedPreferences(PREFS, Context.MODE_PRIVATE))

    private val random = SecureRandom()
    private val lock = Object()
    /** Tokens a sender in this process is waiting on. */
    private val waiting = HashSet<String>()

    /** Writes down a hand-over of [parts] parts and returns its token. */
    fun begin(reminderId: String, parts: Int): String {
        require(parts > 0)
        val token = ByteArray(8).also(random::nextBytes).joinToString("") { "%02x".format(it) }
        val record = SendRecord(token, reminderId, clock(), List(parts) { null }, List(parts) { null })
        synchronized(lock) {
            waiting += token
            write(record)
        }
        return token
    }

    /**
     * Waits until every part of [token] has reported or [timeoutMillis] passed. Returns the
     * record, or null on timeout; either way no sender waits on the token any more, so later
     * reports are late ones.
     */
    fun await(token: String, timeoutMillis: Long): SendRecord? {
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis)
        synchronized(lock) {
            try {
                while (true) {
                    val record = read(token) ?: return null
                    if (record.allSent) return record
                    val left = deadline - System.nanoTime()
                    if (left <= 0) return null
                    TimeUnit.NANOSECONDS.timedWait(lock, left)
                }
            } finally {
                waiting -= token
            }
        }
    }

    /** The hand-over never reached the radio (the call threw): forget it. */
    fun abandon(token: String) = synchronized(lock) {
        waiting -= token
        prefs.edit().remove(token).commit()
        Unit
    }

    /**
     * Adds a part's sent report. Returns the record when it is now complete and no sender in this
     * process waits for it, so the caller must record the result in the core; null otherwise.
     */
    fun sent(token: String, part: Int, result: PartSent): SendRecord? = synchronized(lock) {
        val record = read(token) ?: return null
        if (part !in 0 until record.parts || record.sent[part] != null) return null
        val updated = record.copy(sent = record.sent.toMutableList().also { it[part] = result })
        write(updated)
        lock.notifyAll()
        updated.takeIf { it.allSent && token !in waiting && !it.sentRecorded }
    }

    /** Adds a part's delivery report; returns the record when its delivery is now settled. */
    fun delivered(token: String, part: Int, status: DeliveryStatus): SendRecord? = synchronized(lock) {
        val record = read(token) ?: return null
        if (part !in 0 until record.parts || status == DeliveryStatus.PENDING) return null
        if (record.delivery[part] == status) return null
        val updated = record.copy(delivery = record.delivery.toMutableList().also { it[part] = status })
        write(updated)
        updated.takeIf { it.deliverySettled && !it.deliveryRecorded }
    }

    fun markSentRecorded(token: String) = update(token) { it.copy(sentRecorded = true) }

    fun markDeliveryRecorded(token: String) = update(token) { it.copy(deliveryRecorded = true) }

    /** Settled deliveries not yet in the core (their sent result was not recorded in time). */
    fun unrecordedDeliveries(): List<SendRecord> = synchronized(lock) {
        prefs.all.keys.mapNotNull(::read).filter { it.deliverySettled && !it.deliveryRecorded }
    }

    fun record(token: String): SendRecord? = synchronized(lock) { read(token) }

    /** Drops records older than [maxAgeMillis]: reports that never came will not come now. */
    fun prune(maxAgeMillis: Long = TimeUnit.DAYS.toMillis(7)) = synchronized(lock) {
        val old = prefs.all.keys.mapNotNull(::read).filter { clock() - it.createdAt > maxAgeMillis && it.token !in waiting }
        if (old.isNotEmpty()) prefs.edit().apply { old.forEach { remove(it.token) } }.commit()
        Unit
    }

    private fun update(token: String, f: (SendRecord) -> SendRecord) = synchronized(lock) {
        read(token)?.let { write(f(it)) }
        Unit
    }

    private fun write(r: SendRecord) {
        val sent = r.sent.joinToString(",") { p -> p?.let { "${it.resultCode}/${it.errorCode}" } ?: "_" }
        val delivery = r.delivery.joinToString(",") { it?.name?.take(1) ?: "_" }
        val flags = (if (r.sentRecorded) "s" else "") + (if (r.deliveryRecorded) "d" else "")
        // commit(): the record must be on disk before the radio (or the core) acts on it.
        prefs.edit().putString(r.token, "1;${r.reminderId};${r.createdAt};$sent;$delivery;$flags").commit()
    }

    private fun read(token: String): SendRecord? {
        val fields = prefs.getString(token, null)?.split(';') ?: return null
        if (fields.size != 6 || fields[0] != "1") return null
        return try {
            SendRecord(
                token = token,
                reminderId = fields[1],
                createdAt = fields[2].toLong(),
                sent = fields[3].split(',').map { p ->
                    if (p == "_") null else p.split('/').let { PartSent(it[0].toInt(), it[1].toInt()) }
                },
                delivery = fields[4].split(',').map { d -> DeliveryStatus.entries.firstOrNull { it.name.take(1) == d } },
                sentRecorded = 's' in fields[5],
                deliveryRecorded = 'd' in fields[5],
            )
        } catch (e: RuntimeException) {
            null
        }
    }

    companion object {
        const val PREFS = "brobygger_sms_parts"
    }
}
