package dk.brobygger.shell

import androidx.compose.runtime.Composable
import androidx.compose.runtime.ReadOnlyComposable
import androidx.compose.runtime.staticCompositionLocalOf
import dk.brobygger.core.Language
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.LocalTime
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException
import java.util.Locale

/** The worker's language, for the shell's own words. The core's words come from its catalogue. */
val LocalLanguage = staticCompositionLocalOf { Language.DA }

/** The shell's own words (labels, buttons) in Danish or English. */
@Composable
@ReadOnlyComposable
fun tr(da: String, en: String): String = pick(LocalLanguage.current, da, en)

fun pick(language: Language, da: String, en: String) = if (language == Language.EN) en else da

private fun locale(language: Language) = if (language == Language.EN) Locale.UK else Locale.forLanguageTag("da-DK")

/** "tirsdag 31. marts" / "Tuesday 31 March". */
fun dayText(date: LocalDate, language: Language): String =
    DateTimeFormatter.ofPattern(if (language == Language.EN) "EEEE d MMMM" else "EEEE d. MMMM", locale(language)).format(date)

/** "10.00" (Danish) / "10:00". */
fun timeText(time: LocalTime, language: Language): String =
    DateTimeFormatter.ofPattern(if (language == Language.EN) "HH:mm" else "HH.mm").format(time)

fun dateTimeText(t: LocalDateTime, language: Language) = "${dayText(t.toLocalDate(), language)} ${timeText(t.toLocalTime(), language)}"

fun instantText(t: Instant, zone: ZoneId, language: Language) = dateTimeText(LocalDateTime.ofInstant(t, zone), language)

/** Dates and times typed by the worker: ISO (2026-03-31, 10:00) or Danish (31.03.2026, 10.00). */
fun parseDate(text: String): LocalDate? {
    val t = text.trim()
    return try {
        LocalDate.parse(t)
    } catch (e: DateTimeParseException) {
        try {
            LocalDate.parse(t, DateTimeFormatter.ofPattern("d.M.yyyy"))
        } catch (e: DateTimeParseException) {
            null
        }
    }
}

fun parseTime(text: String): LocalTime? {
    val t = text.trim().replace('.', ':')
    return try {
        LocalTime.parse(if (t.length == 4 && t[1] == ':') "0$t" else t)
    } catch (e: DateTimeParseException) {
        null
    }
}
