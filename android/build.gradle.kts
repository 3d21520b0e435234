// Kotlin 2.1.20: the same compiler and Compose compiler plugin as the JVM build (pom.xml).
plugins {
    id("com.android.application") version "8.7.3" apply false
    id("org.jetbrains.kotlin.android") version "2.1.20" apply false
    id("org.jetbrains.kotlin.plugin.compose") version "2.1.20" apply false
}
