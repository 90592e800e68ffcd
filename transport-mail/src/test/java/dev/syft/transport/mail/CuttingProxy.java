package dev.syft.transport.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy in front of an SMTP server that can drop the connection after some bytes from
 * the client, or answer the end of a message's DATA with a refusal (as a server with a size limit).
 */
final class CuttingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
  private final AtomicReference<String> refusal = new AtomicReference<>();

  CuttingProxy(int target) throws IOException {
    this.target = target;
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Drops the connection once this many more client bytes went through. */
  void cutAfter(long bytes) {
    budget.set(bytes);
  }

  /** Answers the end of every DATA with this line instead of passing it on. */
  void refuseData(String line) {
    refusal.set(line);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        Thread.ofVirtual().start(() -> pump(server, client, false));
        Thread.ofVirtual().start(() -> pump(client, server, true));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromClient) {
    byte[] buf = new byte[8192];
    StringBuilder tail = new StringBuilder();
    boolean inData = false;
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (fromClient) {
          if (budget.addAndGet(-n) < 0) {
            break;
          }
          String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
          tail.append(text);
          if (tail.length() > 16) {
            tail.delete(0, tail.length() - 16);
          }
          if (refusal.get() != null) {
            if (!inData && text.toUpperCase(java.util.Locale.ROOT).startsWith("DATA")) {
              inData = true;
              from.getOutputStream().write("354 go ahead\r\n".getBytes(StandardCharsets.ISO_8859_1));
              continue;
            }
            if (inData) {
              if (tail.toString().endsWith("\r\n.\r\n")) {
                inData = false;
                from.getOutputStream().write((refusal.get() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
              }
              continue;
            }
          }
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
