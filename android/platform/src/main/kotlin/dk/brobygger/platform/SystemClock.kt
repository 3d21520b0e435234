package dk.brobygger.platform

import dk.brobygger.core.Clock
import java.time.Instant

/** The device clock, handed to the core (which never reads a clock itself). */
object SystemClock : Clock {
    override fun now(): Instant = Instant.now()
}
