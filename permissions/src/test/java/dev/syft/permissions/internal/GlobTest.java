package dev.syft.permissions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wcmatch GLOBSTAR dialect (JAVA-STACK.md section 5, PERMISSIONS.md section 5). */
class GlobTest {

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      # JAVA-STACK.md section 5 table (wcmatch column)
      *            ; file.txt          ; true
      *            ; sub/file.txt      ; false
      **           ; a/b/c.txt         ; true
      *.csv        ; data.csv          ; true
      *.csv        ; sub/data.csv      ; false
      **/*.csv     ; sub/data.csv      ; true
      **/*.csv     ; a/b/data.csv      ; true
      **/*.csv     ; data.csv          ; true
      reports/**   ; reports/q1.csv    ; true
      reports/**   ; reports/2024/q1.csv ; true
      reports/**   ; reports           ; false
      *            ; .hidden           ; false
      **           ; a/.hidden/x       ; false
      {a,b}.txt    ; a.txt             ; false
      [ab].txt     ; a.txt             ; true
      a/*/c        ; a/b/c             ; true
      # globstar across segments
      a/**/c       ; a/c               ; true
      a/**/c       ; a/b/c             ; true
      a/**/c       ; a/b/d/c           ; true
      a/**/c       ; a/xc              ; false
      a/**/c       ; ab/c              ; false
      **/x.txt     ; x.txt             ; true
      **/x.txt     ; a/b/x.txt         ; true
      **/**/x.txt  ; a/x.txt           ; true
      a/**         ; a                 ; false
      a/**         ; a/b               ; true
      a/**         ; a/.b              ; false
      a/**         ; a/b/.c            ; false
      **           ; x                 ; true
      **           ; .x                ; false
      **           ; ''                ; false
      *            ; ''                ; false
      # '**' inside a segment is a single '*'
      data/**.csv  ; data/x.csv        ; true
      data/**.csv  ; data/sub/x.csv    ; false
      ***          ; abc               ; true
      ***          ; a/b               ; false
      x**          ; xyz               ; true
      # dot files
      .*           ; .env              ; true
      .*           ; .                 ; true
      **/.env      ; a/b/.env          ; true
      **/.env      ; .env              ; true
      */x          ; .a/x              ; false
      ?env         ; .env              ; false
      [.]env       ; .env              ; false
      *?env        ; .env              ; true
      *.txt        ; .txt              ; true
      **/*.csv     ; .x.csv            ; false
      **/*.csv     ; .a/x.csv          ; false
      *            ; ..                ; false
      # single characters and classes
      file?.txt    ; file1.txt         ; true
      file?.txt    ; file10.txt        ; false
      ?            ; é                 ; true
      [^a].txt     ; b.txt             ; true
      [^a].txt     ; a.txt             ; false
      [!a].txt     ; b.txt             ; true
      [a-c]x       ; bx                ; true
      [a-c]x       ; dx                ; false
      [c-a]x       ; bx                ; false
      [!c-a]x      ; bx                ; true
      []]x         ; ]x                ; true
      [a-]x        ; -x                ; true
      [[:digit:]]x ; 7x                ; true
      [[:digit:]]x ; ax                ; false
      x[*]         ; x*                ; true
      x[*]         ; xy                ; false
      [[]1]        ; [1]               ; true
      # an unterminated or slash-containing class is literal
      a[b          ; a[b               ; true
      a[b/c]       ; a[b/c]            ; true
      a[b/c]       ; ab                ; false
      # escapes
      \\*          ; *                 ; true
      \\*          ; x                 ; false
      a\\.b*       ; a.bc              ; true
      a\\/b*       ; a/bc              ; true
      # literal extras, case, spaces, unicode
      @(a|b).txt   ; a.txt             ; false
      *.{csv,txt}  ; x.{csv,txt}       ; true
      *.{csv,txt}  ; x.csv             ; false
      !x*          ; !xy               ; true
      data/**      ; Data/x.csv        ; false
      my docs/*.txt ; my docs/a b.txt  ; true
      données/*    ; données/x.csv     ; true
      # anchoring and separators
      ./*.txt      ; x.txt             ; false
      /x*          ; x1                ; false
      /x*          ; /x1               ; true
      a//b*        ; a/bc              ; true
      d*/          ; dx                ; false
      d*           ; dx/               ; true
      ../b/*       ; ../b/x.txt        ; true
      **           ; ../b/x.txt        ; false
      """)
  void wcmatchSemantics(String pattern, String path, boolean expected) {
    String p = path.equals("''") ? "" : path;
    assertThat(Glob.compile(pattern).matches(p)).as(pattern + " ~ " + p).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} under {1}: may {2}, covers {3}")
  @CsvSource(delimiter = '|', textBlock = """
      **         | sub     | true  | true
      **/*.csv   | sub     | true  | false
      sub/**     | sub     | true  | true
      sub/*      | sub     | true  | false
      */**       | sub     | true  | true
      other/**   | sub     | false | false
      sub        | sub     | false | false
      sub/x.txt  | sub     | true  | false
      a/**/c     | a/b     | true  | false
      **         | .git    | false | false
      *.csv      | sub     | false | false
      """)
  void folderOverlap(String pattern, String folder, boolean may, boolean covers) {
    Glob g = Glob.compile(pattern);
    assertThat(g.mayMatchUnder(folder)).as("may").isEqualTo(may);
    assertThat(g.coversFolder(folder)).as("covers").isEqualTo(covers);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      data[1].csv
      what?.txt
      a*b
      plain.txt
      x\\y
      """)
  void escapedLiteralsMatchOnlyThemselves(String literal) {
    Glob g = Glob.compile(Glob.escape(literal));
    assertThat(g.matches(literal)).isTrue();
    assertThat(g.matches(literal + "x")).isFalse();
    assertThat(g.matches("x" + literal)).isFalse();
  }
}
