package dev.syft.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logging of the CLI, set up in code at the first log call (found by logback through
 * {@code META-INF/services}): no XML to parse and no pattern language, which kept hundreds of classes
 * out of every start. The CLI prints what users need itself; the log carries warnings only, and
 * {@code SYFT_LOG_LEVEL} (set by {@code --debug}) raises the level. Lines read {@code syft: LEVEL message}.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    String level = System.getProperty("SYFT_LOG_LEVEL", System.getenv().getOrDefault("SYFT_LOG_LEVEL", "WARN"));
    StderrAppender appender = new StderrAppender();
    appender.setContext(context);
    appender.setName("STDERR");
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.WARN));
    root.addAppender(appender);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Writes {@code syft: LEVEL message} (and a stack trace when one is attached) to the current stderr. */
  static final class StderrAppender extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent e) {
      StringBuilder sb = new StringBuilder("syft: ").append(String.format("%-5s", e.getLevel())).append(' ')
          .append(e.getFormattedMessage()).append(System.lineSeparator());
      IThrowableProxy t = e.getThrowableProxy();
      if (t != null) {
        sb.append(ThrowableProxyUtil.asString(t)).append(System.lineSeparator());
      }
      System.err.print(sb);
      System.err.flush();
    }
  }
}
