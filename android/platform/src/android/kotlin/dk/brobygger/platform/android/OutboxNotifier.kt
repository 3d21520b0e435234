package dk.brobygger.platform.android

import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import dk.brobygger.core.Language
import dk.brobygger.core.languageFromLocale
import java.util.Locale

/**
 * The outbox's notifications. They say only that something waits and what to do, never who or
 * what: no names, numbers or texts (the lock screen shows them). Tapping opens the app, which
 * asks for the PIN and shows the reminders on Today.
 */
class OutboxNotifier(
    private val context: Context,
    private val smallIcon: Int = android.R.drawable.stat_notify_error,
    private val language: () -> Language = { languageFromLocale(Locale.getDefault().toLanguageTag()) },
) {
    private val manager get() = requireNotNull(context.getSystemService(NotificationManager::class.java))

    /** [count] reminders ended failed, unknown or too late: the worker decides what now. */
    fun remindersNeedWorker(count: Int) = post(
        ID_ATTENTION,
        t("Påmindelser kræver dig", "Reminders need you"),
        t(
            if (count == 1) "1 påmindelse blev ikke sendt. Åbn Brobygger for at se den." else "$count påmindelser blev ikke sendt. Åbn Brobygger for at se dem.",
            if (count == 1) "1 reminder was not sent. Open Brobygger to see it." else "$count reminders were not sent. Open Brobygger to see them.",
        ),
    )

    /** The outbox key is gone from the key store (a lock-screen reset, a restored phone). */
    fun outboxKeyMissing() = post(
        ID_KEYS,
        t("Påmindelser kan ikke sendes", "Reminders cannot be sent"),
        t("Telefonens nøgler er væk. Åbn Brobygger.", "The phone's keys are gone. Open Brobygger."),
    )

    /** After a restart, before the first unlock: nothing can be sent until the phone is unlocked. */
    fun unlockToSend() = post(
        ID_BOOT,
        t("Lås telefonen op", "Unlock the phone"),
        t("Lås telefonen op én gang, så påmindelser kan blive sendt.", "Unlock the phone once so reminders can go out."),
    )

    fun clearUnlockToSend() = manager.cancel(ID_BOOT)

    private fun t(da: String, en: String) = if (language() == Language.EN) en else da

    private fun post(id: Int, title: String, text: String) {
        val manager = manager
        if (!manager.areNotificationsEnabled()) return // the worker sees it on Today instead
        manager.createNotificationChannel(
            NotificationChannel(CHANNEL, t("Påmindelser", "Reminders"), NotificationManager.IMPORTANCE_DEFAULT),
        )
        val open = context.packageManager.getLaunchIntentForPackage(context.packageName)?.let {
            PendingIntent.getActivity(context, id, it, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
        }
        val notification = Notification.Builder(context, CHANNEL)
            .setSmallIcon(smallIcon)
            .setContentTitle(title)
            .setContentText(text)
            .setStyle(Notification.BigTextStyle().bigText(text))
            .setVisibility(Notification.VISIBILITY_PUBLIC)
            .setCategory(Notification.CATEGORY_REMINDER)
            .setAutoCancel(true)
            .apply { open?.let(::setContentIntent) }
            .build()
        manager.notify(id, notification)
    }

    companion object {
        const val CHANNEL = "reminders"
        const val ID_ATTENTION = 1
        const val ID_KEYS = 2
        const val ID_BOOT = 3
    }
}
