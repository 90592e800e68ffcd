package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What `jobs show` and `jobs logs` put on a terminal: nothing a submitter wrote may hide or reorder lines. */
class ShownTest {
  @Test
  void controlCharactersAndBidiOverridesAreEscapedAndCounted() {
    JobsCommand.Shown s = JobsCommand.Shown.of("ok()\u001b[2K\rexfiltrate()\r\nx = '\u202e' # done\n\tend");
    assertThat(s.text()).isEqualTo("ok()\\u{1b}[2K\\u{d}exfiltrate()\r\nx = '\\u{202e}' # done\n\tend");
    assertThat(s.escaped()).isEqualTo(3);
    assertThat(s.notes(2)).containsExactly("NOT VALID UTF-8: 2 invalid byte sequence(s) shown as U+FFFD",
        "3 control character(s) shown as \\u{..}");
  }

  @Test
  void plainTextIsUnchanged() {
    JobsCommand.Shown s = JobsCommand.Shown.of("print('héllo')\n\tpass\r\n");
    assertThat(s.text()).isEqualTo("print('héllo')\n\tpass\r\n");
    assertThat(s.notes(0)).isEmpty();
  }
}
