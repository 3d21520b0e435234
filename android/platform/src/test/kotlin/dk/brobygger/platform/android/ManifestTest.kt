package dk.brobygger.platform.android

import java.io.File
import javax.xml.parsers.DocumentBuilderFactory
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.w3c.dom.Element

/**
 * The app's manifest (android/app, built by Gradle, not here) declares this layer's components
 * as they must be: every receiver and the job service private, the boot receiver direct-boot
 * aware, the permissions the outbox needs, and none it must not have (INTERNET, backups).
 */
class ManifestTest {
    private val ns = "http://schemas.android.com/apk/res/android"
    private val manifest: Element = run {
        val root = File(System.getProperty("brobygger.repo", "../..")).resolve("android/app/src/main/AndroidManifest.xml")
        DocumentBuilderFactory.newInstance().apply { isNamespaceAware = true }.newDocumentBuilder().parse(root).documentElement
    }

    private fun elements(tag: String) = manifest.getElementsByTagName(tag).let { list -> (0 until list.length).map { list.item(it) as Element } }
    private fun Element.a(name: String) = getAttributeNS(ns, name)
    private fun component(cls: Class<*>) = (elements("receiver") + elements("service")).single { it.a("name") == cls.name }

    @Test
    fun receiversAndTheJobArePrivate() {
        for (cls in listOf(SmsSentReceiver::class.java, SmsDeliveryReceiver::class.java, OutboxAlarmReceiver::class.java, SystemEventsReceiver::class.java, OutboxJobService::class.java)) {
            assertEquals("${cls.simpleName} must not be exported", "false", component(cls).a("exported"))
        }
        assertEquals("android.permission.BIND_JOB_SERVICE", component(OutboxJobService::class.java).a("permission"))
        val boot = component(SystemEventsReceiver::class.java)
        assertEquals("true", boot.a("directBootAware"))
        val actions = boot.getElementsByTagName("action").let { l -> (0 until l.length).map { (l.item(it) as Element).a("name") } }.toSet()
        assertEquals(
            setOf(
                "android.intent.action.LOCKED_BOOT_COMPLETED", "android.intent.action.BOOT_COMPLETED",
                "android.intent.action.MY_PACKAGE_REPLACED", "android.intent.action.TIME_SET",
                "android.intent.action.TIMEZONE_CHANGED", "android.app.action.SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED",
            ),
            actions,
        )
    }

    @Test
    fun permissionsAndPrivacy() {
        val permissions = elements("uses-permission").map { it.a("name") }.toSet()
        for (p in listOf("SEND_SMS", "RECEIVE_BOOT_COMPLETED", "SCHEDULE_EXACT_ALARM", "USE_EXACT_ALARM", "POST_NOTIFICATIONS", "READ_PHONE_STATE", "USE_BIOMETRIC")) {
            assertTrue(p, "android.permission.$p" in permissions)
        }
        assertFalse("offline: no network at all", "android.permission.INTERNET" in permissions)
        val app = elements("application").single()
        assertEquals("false", app.a("allowBackup"))
        assertTrue(app.a("dataExtractionRules").isNotEmpty())
    }

    @Test
    fun theExportsProviderIsPrivateAndServesOnlyTheExportsFolder() {
        val provider = elements("provider").single { it.a("name") == "androidx.core.content.FileProvider" }
        assertEquals("false", provider.a("exported"))
        assertEquals("true", provider.a("grantUriPermissions"))
        val paths = provider.getElementsByTagName("meta-data").let { l -> (0 until l.length).map { l.item(it) as Element } }
            .single { it.a("name") == "android.support.FILE_PROVIDER_PATHS" }.a("resource")
        assertEquals("@xml/exports", paths)
        val root = File(System.getProperty("brobygger.repo", "../..")).resolve("android/app/src/main/res/xml/exports.xml")
        val served = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(root).documentElement.childNodes
            .let { l -> (0 until l.length).mapNotNull { l.item(it) as? Element } }
        assertEquals(listOf("cache-path" to "exports/"), served.map { it.tagName to it.getAttribute("path") })
    }
}
