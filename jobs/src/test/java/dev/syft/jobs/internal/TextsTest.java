package dev.syft.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextsTest {
  @Test
  void invalidBytesAreReplacedAndCountedNothingIsDropped() {
    byte[] b = {'r', 'o', 'w', ':', (byte) 0xff, (byte) 0xfe, ' ', 'x', '\n'};
    Texts.Decoded d = Texts.decode(b);
    assertThat(d.text()).isEqualTo("row:\uFFFD\uFFFD x\n");
    assertThat(d.invalid()).isEqualTo(2);
  }

  @Test
  void emptyValidAndTruncatedInput() {
    assertThat(Texts.decode(new byte[0])).isEqualTo(new Texts.Decoded("", 0));
    assertThat(Texts.decode("héllo 😀".getBytes(StandardCharsets.UTF_8))).isEqualTo(new Texts.Decoded("héllo 😀", 0));
    byte[] cut = {'a', (byte) 0xe2, (byte) 0x82};
    assertThat(Texts.decode(cut).text()).startsWith("a\uFFFD");
    assertThat(Texts.decode(cut).invalid()).isPositive();
  }

  @Test
  void binaryMeansANulByte() {
    assertThat(Texts.binary(new byte[] {'a', 0, 'b'})).isTrue();
    assertThat(Texts.binary("print(1)\n".getBytes(StandardCharsets.UTF_8))).isFalse();
  }
}
