package dev.syft.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Peer-provided text is hostile: it is escaped everywhere, hidden characters made visible, uploads parsed strictly. */
class EscapingTest {
  @Test
  void markupIsEscapedAndHiddenCharactersAreShown() {
    String hostile = "<img src=x onerror=\"alert(1)\">'&\u202etxt.exe\u0007";
    String html = new Html().text(hostile).toString();
    assertThat(html).doesNotContain("<img").doesNotContain("\"alert")
        .contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;")
        .contains("<span class=\"ctl\">\\u{202e}</span>").contains("<span class=\"ctl\">\\u{7}</span>");
    assertThat(Html.hiddenCount(hostile)).isEqualTo(2);
  }

  @Test
  void highlightingKeepsEveryCharacterAndEscapes() {
    String code = "import os  # </pre><script>x</script>\ns = \"<b>\" + '\\'' \nprint(42)\n";
    String html = Highlighter.html("code/main.py", code);
    assertThat(html).doesNotContain("<script>").doesNotContain("</pre>").doesNotContain("<b>")
        .contains("<span class=\"k\">import</span>")
        .contains("<span class=\"c\"># &lt;/pre&gt;&lt;script&gt;x&lt;/script&gt;</span>")
        .contains("<span class=\"s\">&quot;&lt;b&gt;&quot;</span>")
        .contains("<span class=\"n\">42</span>");
    String text = html.replaceAll("<span class=\"[a-z]+\">", "").replace("</span>", "").replace("&lt;", "<")
        .replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    assertThat(text).isEqualTo(code);
    assertThat(Highlighter.html("notes.txt", "<b>")).isEqualTo("&lt;b&gt;");
  }

  @Test
  void anUnterminatedStringEndsAtTheLine() {
    assertThat(Highlighter.html("a.sh", "echo \"open\nrm -rf x\n"))
        .contains("<span class=\"s\">&quot;open</span>").contains("<span class=\"k\">rm</span>");
  }

  @Test
  void multipartFieldsAndUploads() {
    String b = "----b0und";
    String body = "--" + b + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok\r\n"
        + "--" + b + "\r\nContent-Disposition: form-data; name=\"folder\"; filename=\"job/a b.py\"\r\n"
        + "Content-Type: text/plain\r\n\r\nline1\r\n--not-the-end\r\n"
        + "--" + b + "\r\nContent-Disposition: form-data; name=\"code\"; filename=\"\"\r\n\r\n\r\n"
        + "--" + b + "--\r\n";
    Form f = Form.parse("multipart/form-data; boundary=" + b, body.getBytes(StandardCharsets.UTF_8));
    assertThat(f.get("_csrf")).isEqualTo("tok");
    assertThat(f.uploads()).hasSize(1);
    assertThat(f.uploads().get(0).filename()).isEqualTo("job/a b.py");
    assertThat(new String(f.uploads().get(0).bytes(), StandardCharsets.UTF_8)).isEqualTo("line1\r\n--not-the-end");
    assertThatThrownBy(() -> Form.parse("multipart/form-data; boundary=" + b, "garbage".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(Form.BadRequest.class);
    assertThatThrownBy(() -> Form.parse("multipart/form-data", new byte[0])).isInstanceOf(Form.BadRequest.class);
  }

  @Test
  void uploadNamesMustStayInsideTheJob() {
    assertThat(App.safeRelative("job/code/main.py")).isEqualTo("job/code/main.py");
    for (String bad : new String[] {"../x.py", "/etc/passwd", "a/../../x", "a//b", "a\0b", "..\\x.py", "."}) {
      assertThatThrownBy(() -> App.safeRelative(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void csvPreviewHandlesQuotesAndStopsAtTheLimit() {
    var rows = Csv.parse("a,\"b,c\",\"say \"\"hi\"\"\"\r\n1,2,3\n4,5,6\n7,8,9\n", 3);
    assertThat(rows).containsExactly(java.util.List.of("a", "b,c", "say \"hi\""), java.util.List.of("1", "2", "3"),
        java.util.List.of("4", "5", "6"));
  }
}
