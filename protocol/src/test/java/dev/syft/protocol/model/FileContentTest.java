package dev.syft.protocol.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FileContentTest {
  @Test
  void validUtf8BecomesTextAndBytesAreNeverAltered() {
    byte[] crlf = "a\r\nb\u00e9\uFEFF".getBytes(StandardCharsets.UTF_8);
    FileContent c = FileContent.of(crlf);
    assertThat(c.isText()).isTrue();
    assertThat(c.bytes()).isEqualTo(crlf);
    assertThat(c.text()).isEqualTo("a\r\nb\u00e9\uFEFF");
    assertThat(c.wireString()).isEqualTo(c.text());
    assertThat(c).isEqualTo(FileContent.text("a\r\nb\u00e9\uFEFF"));
  }

  @Test
  void invalidUtf8BecomesBinaryWithTheSameHash() {
    byte[] bytes = {(byte) 0xff, (byte) 0xfe, 0, (byte) 0x80, (byte) 0xc3, 0x28};
    FileContent c = FileContent.of(bytes);
    assertThat(c.type()).isEqualTo(FileContent.Type.BINARY);
    assertThat(c.wireString()).isEqualTo("//4AgMMo");
    assertThat(c.sha256()).isEqualTo("d90106ba0c7d9f14011254c532818d6fadf524dfde8e271ddfb22bbdb4b5fb6c");
    assertThatThrownBy(c::text).isInstanceOf(IllegalStateException.class);
    // Encoded surrogates (CESU-8) are not valid UTF-8 either.
    assertThat(FileContent.of(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}).isText()).isFalse();
  }

  @Test
  void base64DecodingFollowsPythonB64decode() {
    assertThat(FileContent.fromBase64("AAEC").bytes()).containsExactly(0, 1, 2);
    assertThat(FileContent.fromBase64("AA\nEC ").bytes()).containsExactly(0, 1, 2);
    assertThat(FileContent.fromBase64("%%%").size()).isZero();
    assertThatThrownBy(() -> FileContent.fromBase64("abc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("padding");
    assertThatThrownBy(() -> FileContent.fromBase64("a=bc")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void copiesProtectImmutability() {
    byte[] bytes = {1, 2, 3};
    FileContent c = FileContent.binary(bytes);
    bytes[0] = 9;
    c.bytes()[1] = 9;
    assertThat(c.bytes()).containsExactly(1, 2, 3);
  }

  @Test
  void unpairedSurrogatesAreNotText() {
    assertThatThrownBy(() -> FileContent.text("x\uD800")).isInstanceOf(IllegalArgumentException.class);
  }
}
