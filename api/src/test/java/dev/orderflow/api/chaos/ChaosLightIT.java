package dev.orderflow.api.chaos;

import java.time.Duration;

/**
 * The chaos run of the default suite: one round of every fault (about two and a half minutes of
 * faults under load, four minutes in all with start-up and the checks).
 */
class ChaosLightIT extends ChaosScenario {

    @Override
    Duration duration() {
        return Duration.ZERO;
    }
}
