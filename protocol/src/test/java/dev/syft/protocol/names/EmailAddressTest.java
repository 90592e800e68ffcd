package dev.syft.protocol.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.SyftException;
import org.junit.jupiter.api.Test;

class EmailAddressTest {
  @Test
  void acceptsPlainAddressesInAnyCase() {
    assertThat(EmailAddress.isValid("ds@university.example")).isTrue();
    assertThat(EmailAddress.isValid("O'Brien+tag@Mail-1.Example.org")).isTrue();
    assertThat(EmailAddress.isValid("user@localhost")).isTrue();
  }

  @Test
  void refusesWhatIsNotOneAddress() {
    for (String bad : new String[] {"", "no-at", "@x.org", "a@", "a@@x.org", "a@b@c", "a b@x.org", "a@x..org",
        "a..b@x.org", "a@.x.org", "a@x.org.", "*@x.org", "a/b@x.org", "a@x_y.org", "a@x.org\n"}) {
      assertThat(EmailAddress.isValid(bad)).as(bad).isFalse();
    }
    assertThat(EmailAddress.isValid("a@" + "x".repeat(EmailAddress.MAX_LENGTH))).isFalse();
    assertThat(EmailAddress.isValid(null)).isFalse();
  }

  @Test
  void normalizeStripsAndLowerCasesOrSaysWhy() {
    assertThat(EmailAddress.normalize("  Bob@X.Example ")).isEqualTo("bob@x.example");
    assertThatThrownBy(() -> EmailAddress.normalize(" ")).isInstanceOf(SyftException.class)
        .hasMessage("an e-mail address is required");
    assertThatThrownBy(() -> EmailAddress.normalize("bob@x..y")).isInstanceOf(SyftException.class)
        .hasMessage("not a usable e-mail address: 'bob@x..y'");
  }
}
