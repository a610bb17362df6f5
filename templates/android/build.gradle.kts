// The Android Gradle plugin, declared once for the whole build and applied in app/build.gradle.kts.
plugins {
    alias(libs.plugins.android.application) apply false
}
