package dev.syft.protocol.archive;

import dev.syft.protocol.LimitExceededException;
import dev.syft.protocol.MalformedMessageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes a proposal's JSON through with every {@code proposed_file_changes[i].content} string (or
 * the contents of another list of the root object, see the constructors) taken
 * out: its unescaped UTF-8 bytes go to a {@link SpooledContent.Builder} and the JSON gets the
 * placeholder {@code "<n>"} (n = the content's index) instead. The JSON parser behind it then never
 * holds a file's content, so memory stays bounded whatever the files' sizes.
 *
 * <p>It follows the JSON structure just far enough to find those strings (containers, keys, string
 * ends) and leaves every other check to the parser. The strings it takes out it checks itself, as
 * the parser would: valid UTF-8, no raw control characters, known escapes, no unpaired surrogate
 * escapes. Every other string (keys included) is refused past {@link #MAX_OTHER_STRING} bytes:
 * only file contents can legitimately be large.
 */
final class ContentDiverter extends InputStream {
  /** Longest string outside file contents: paths, hashes, e-mails, ids are far shorter. */
  static final int MAX_OTHER_STRING = 1 << 20;
  private static final int MAX_DEPTH = 256;

  /** What a key names, as far as we care. */
  private static final byte OTHER = 0;
  private static final byte CHANGES = 1;
  private static final byte CONTENT = 2;

  /** Opens a builder for content number {@code index}. */
  interface Sink {
    SpooledContent.Builder open(int index) throws IOException;
  }

  private final InputStream in;
  private final Sink sink;
  private final String listKey;
  private final String what;
  private boolean keep = true;
  private final byte[] inBuf = new byte[64 * 1024];
  private int inPos;
  private int inLen;
  private boolean eof;

  // pending output
  private byte[] outBuf = new byte[64 * 1024];
  private int outPos;
  private int outLen;

  // structure
  private final boolean[] isObject = new boolean[MAX_DEPTH];
  private final boolean[] expectKey = new boolean[MAX_DEPTH];
  private final byte[] lastKey = new byte[MAX_DEPTH];
  private final byte[] openedUnder = new byte[MAX_DEPTH];
  private int depth;
  private int overflow;
  private int entry = -1; // index of the list element being read

  // the string being read
  private boolean inString;
  private boolean keyString;
  private SpooledContent.Builder diverted;
  private long stringBytes;
  private final StringBuilder keyText = new StringBuilder();
  private int escape; // 0 none, 1 after '\', 2..5 reading \\u hex digits
  private int hex;
  private int pendingHigh = -1; // a high surrogate escape waiting for its low half
  private int utf8Needed; // continuation bytes still expected
  private int utf8Lower = 0x80;
  private int utf8Upper = 0xBF;
  private final byte[] chunk = new byte[8192];
  private int chunkLen;
  private int contents;
  private final List<SpooledContent.Builder> builders = new ArrayList<>();

  /** Diverts the contents of a proposal's {@code proposed_file_changes}. */
  ContentDiverter(InputStream in, Sink sink) {
    this(in, sink, "proposed_file_changes", "proposal message");
  }

  /**
   * Diverts {@code <listKey>[i].content} of the root object ({@code events} of events messages,
   * incremental checkpoints and rolling states; {@code files} of full checkpoints).
   */
  ContentDiverter(InputStream in, Sink sink, String listKey, String what) {
    this.in = in;
    this.sink = sink;
    this.listKey = listKey;
    this.what = what;
  }

  /** Stops keeping the builders (the sink keeps what it needs): for lists of any length. */
  ContentDiverter forgetting() {
    keep = false;
    return this;
  }

  /** The builders of every diverted content, in order (index = placeholder number). */
  List<SpooledContent.Builder> builders() {
    return builders;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (outPos == outLen) {
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, outLen - outPos);
    System.arraycopy(outBuf, outPos, b, off, n);
    outPos += n;
    return n;
  }

  /** Processes the next input chunk; false at the end of the input. */
  private boolean fill() throws IOException {
    outPos = 0;
    outLen = 0;
    if (inPos == inLen) {
      if (eof) {
        return false;
      }
      inLen = in.read(inBuf, 0, inBuf.length);
      inPos = 0;
      if (inLen < 0) {
        inLen = 0;
        eof = true;
        if (inString && diverted != null) {
          flushChunk(); // truncated: the parser will report the unterminated string
        }
        return false;
      }
    }
    while (inPos < inLen) {
      int c = inBuf[inPos++] & 0xff;
      if (inString) {
        string(c);
      } else if (structure(c)) {
        emit(c);
      }
    }
    if (diverted != null) {
      flushChunk();
    }
    return true;
  }

  private void emit(int c) {
    if (outLen == outBuf.length) {
      outBuf = java.util.Arrays.copyOf(outBuf, outBuf.length * 2);
    }
    outBuf[outLen++] = (byte) c;
  }

  private void emit(String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      emit(ascii.charAt(i));
    }
  }

  /** Follows the structure; false when {@code c} must not be passed on. */
  private boolean structure(int c) throws IOException {
    switch (c) {
      case '{', '[' -> {
        if (depth == MAX_DEPTH || overflow > 0) {
          overflow++; // deeper than anything we look for; the parser refuses it (its limit is lower)
          return true;
        }
        if (c == '{' && depth == 2 && isObject[0] && !isObject[1] && openedUnder[1] == CHANGES) {
          entry++;
        }
        openedUnder[depth] = depth > 0 && isObject[depth - 1] ? lastKey[depth - 1] : OTHER;
        isObject[depth] = c == '{';
        expectKey[depth] = c == '{';
        lastKey[depth] = OTHER;
        depth++;
      }
      case '}', ']' -> {
        if (overflow > 0) {
          overflow--;
        } else if (depth > 0) {
          depth--;
        }
      }
      case ':' -> {
        if (depth > 0 && isObject[depth - 1]) {
          expectKey[depth - 1] = false;
        }
      }
      case ',' -> {
        if (depth > 0 && isObject[depth - 1]) {
          expectKey[depth - 1] = true;
        }
      }
      case '"' -> {
        return startString();
      }
      default -> {
        // literals, numbers, white space: the parser checks them
      }
    }
    return true;
  }

  /** False when the string is diverted (its opening quote is replaced by the placeholder). */
  private boolean startString() throws IOException {
    inString = true;
    keyString = depth > 0 && isObject[depth - 1] && expectKey[depth - 1];
    stringBytes = 0;
    escape = 0;
    pendingHigh = -1;
    utf8Needed = 0;
    keyText.setLength(0);
    // root object > proposed_file_changes list > change object > "content" value
    if (!keyString && depth == 3 && isObject[0] && !isObject[1] && openedUnder[1] == CHANGES && isObject[2]
        && lastKey[2] == CONTENT) {
      diverted = sink.open(contents);
      if (keep) {
        builders.add(diverted);
      }
      chunkLen = 0;
      return false;
    }
    return true;
  }

  private void string(int c) throws IOException {
    if (diverted != null) {
      divertedByte(c);
      return;
    }
    if (escape == 0 && c == '"') {
      inString = false;
      if (keyString) {
        String k = keyText.length() <= 64 ? keyText.toString() : "";
        lastKey[depth - 1] = k.equals(listKey) ? CHANGES : k.equals("content") ? CONTENT : OTHER;
      }
      emit(c);
      return;
    }
    if (++stringBytes > MAX_OTHER_STRING) {
      throw new LimitExceededException(what + ": a string outside file contents is longer than "
          + MAX_OTHER_STRING + " bytes");
    }
    emit(c);
    if (escape == 1) {
      escape = c == 'u' ? 2 : 0;
      hex = 0;
      if (c != 'u' && keyString) {
        keyText.append('\uFFFF'); // no name we look for has such an escape
      }
    } else if (escape >= 2) {
      int d = Character.digit(c, 16);
      hex = hex * 16 + Math.max(d, 0);
      escape = escape == 5 ? 0 : escape + 1;
      if (escape == 0 && keyString && keyText.length() <= 64) {
        keyText.append((char) hex);
      }
    } else if (c == '\\') {
      escape = 1;
    } else if (keyString && keyText.length() <= 64) {
      keyText.append(c < 0x80 ? (char) c : '\uFFFD'); // only ASCII key names matter
    }
  }

  // ------------------------------------------------------------------ diverted strings

  private void divertedByte(int c) throws IOException {
    if (escape == 1) {
      escape = 0;
      int v = switch (c) {
        case '"' -> '"';
        case '\\' -> '\\';
        case '/' -> '/';
        case 'b' -> '\b';
        case 'f' -> '\f';
        case 'n' -> '\n';
        case 'r' -> '\r';
        case 't' -> '\t';
        case 'u' -> -2;
        default -> throw invalid("unrecognised escape '\\" + (char) c + "' in a string");
      };
      if (v == -2) {
        escape = 2;
        hex = 0;
      } else {
        codePoint(v);
      }
      return;
    }
    if (escape >= 2) {
      int d = Character.digit(c, 16);
      if (d < 0) {
        throw invalid("invalid \\u escape in a string");
      }
      hex = hex * 16 + d;
      if (escape++ == 5) {
        escape = 0;
        codePoint(hex);
      }
      return;
    }
    if (pendingHigh >= 0 && c != '\\') {
      throw unpaired();
    }
    if (utf8Needed > 0) {
      if (c < utf8Lower || c > utf8Upper) {
        throw notUtf8();
      }
      utf8Lower = 0x80;
      utf8Upper = 0xBF;
      utf8Needed--;
      put(c);
      return;
    }
    if (c == '"') {
      endDiverted();
      return;
    }
    if (c == '\\') {
      escape = 1;
      return;
    }
    if (c < 0x20) {
      throw invalid("illegal unescaped control character in a string");
    }
    if (c >= 0x80) {
      // the well-formed UTF-8 table (Unicode 3.9, table 3-7)
      if (c >= 0xC2 && c <= 0xDF) {
        utf8Needed = 1;
      } else if (c == 0xE0) {
        utf8Needed = 2;
        utf8Lower = 0xA0;
      } else if (c == 0xED) {
        utf8Needed = 2;
        utf8Upper = 0x9F;
      } else if (c >= 0xE1 && c <= 0xEF) {
        utf8Needed = 2;
      } else if (c == 0xF0) {
        utf8Needed = 3;
        utf8Lower = 0x90;
      } else if (c >= 0xF1 && c <= 0xF3) {
        utf8Needed = 3;
      } else if (c == 0xF4) {
        utf8Needed = 3;
        utf8Upper = 0x8F;
      } else {
        throw notUtf8();
      }
    }
    put(c);
  }

  private void codePoint(int cp) throws IOException {
    if (pendingHigh >= 0) {
      if (cp < 0xDC00 || cp > 0xDFFF) {
        throw unpaired();
      }
      cp = Character.toCodePoint((char) pendingHigh, (char) cp);
      pendingHigh = -1;
    } else if (cp >= 0xD800 && cp <= 0xDBFF) {
      pendingHigh = cp;
      return;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      throw unpaired();
    }
    byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
    for (byte x : b) {
      put(x & 0xff);
    }
  }

  private void endDiverted() throws IOException {
    if (pendingHigh >= 0) {
      throw unpaired();
    }
    flushChunk();
    inString = false;
    diverted = null;
    emit("\"" + (contents++) + "\"");
  }

  private void put(int c) throws IOException {
    if (chunkLen == chunk.length) {
      flushChunk();
    }
    chunk[chunkLen++] = (byte) c;
  }

  private void flushChunk() throws IOException {
    if (chunkLen > 0) {
      try {
        diverted.write(chunk, 0, chunkLen);
      } catch (IOException e) {
        throw new CheckpointReader.LocalFailure(e); // the spool's failure, not the message's
      }
      chunkLen = 0;
    }
  }

  private MalformedMessageException invalid(String problem) {
    return new MalformedMessageException(what + " is not valid JSON: " + problem);
  }

  private MalformedMessageException notUtf8() {
    return new MalformedMessageException(what + " is not valid UTF-8");
  }

  private MalformedMessageException unpaired() {
    return new MalformedMessageException(what + ": field '" + listKey + "[" + entry
        + "].content' contains an unpaired surrogate escape");
  }
}
