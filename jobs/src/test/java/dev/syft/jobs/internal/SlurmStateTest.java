package dev.syft.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.jobs.internal.SlurmExecutor.SlurmState;
import org.junit.jupiter.api.Test;

/** Slurm's job states (squeue %T, scontrol JobState, sacct State) as the executor reads them. */
class SlurmStateTest {
  @Test
  void everySlurmStateMapsToAJobOutcome() {
    assertThat(SlurmState.of("PENDING")).isEqualTo(SlurmState.PENDING);
    assertThat(SlurmState.of("CONFIGURING")).isEqualTo(SlurmState.PENDING);
    assertThat(SlurmState.of("RUNNING")).isEqualTo(SlurmState.RUNNING);
    assertThat(SlurmState.of("COMPLETING")).isEqualTo(SlurmState.RUNNING);
    assertThat(SlurmState.of("COMPLETED")).isEqualTo(SlurmState.DONE);
    assertThat(SlurmState.of("FAILED")).isEqualTo(SlurmState.FAILED);
    assertThat(SlurmState.of("OUT_OF_MEMORY")).isEqualTo(SlurmState.FAILED);
    assertThat(SlurmState.of("CANCELLED by 0")).isEqualTo(SlurmState.CANCELLED);
    assertThat(SlurmState.of("CANCELLED+")).isEqualTo(SlurmState.CANCELLED);
    assertThat(SlurmState.of("TIMEOUT")).isEqualTo(SlurmState.TIMED_OUT);
    assertThat(SlurmState.of("NODE_FAIL")).isEqualTo(SlurmState.NODE_FAILURE);
    assertThat(SlurmState.of("BOOT_FAIL")).isEqualTo(SlurmState.NODE_FAILURE);
    assertThat(SlurmState.of("PENDING").terminal()).isFalse();
    assertThat(SlurmState.of("RUNNING").terminal()).isFalse();
    assertThat(SlurmState.of("TIMEOUT").terminal()).isTrue();
  }
}
