package io.vigil.server.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a thread dies of something nobody handled. The failure goes to the structured
 * log (ERROR, redacted), not only to stderr. A failure that leaves the process unable to do its
 * job (a decision thread gone, or the JVM itself failing) halts the process with
 * {@value #EXIT_STATUS}, so that whatever supervises it (systemd, an orchestrator) starts it again;
 * the restart rebuilds all state from the journal, and a decision is only acknowledged once it is
 * stored, so nothing acknowledged is lost.
 */
public final class FatalErrors {
  /** The process's exit status after a fatal failure (EX_SOFTWARE). */
  public static final int EXIT_STATUS = 70;
  private static final Logger log = LoggerFactory.getLogger(FatalErrors.class);

  private FatalErrors() {}

  /**
   * Logs that {@code what} stopped and halts the process at once: no shutdown hooks, which would
   * wait for the very thread that failed.
   */
  public static void halt(String what, Throwable failure) {
    try {
      log.error("{} stopped on an unexpected failure; the process halts so that it is restarted from the journal", what,
          RedactedFailure.of(failure));
    } finally {
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
  }

  /**
   * Logs every uncaught failure of any thread through SLF4J, and halts on a failure of the JVM
   * itself ({@link VirtualMachineError}: out of memory, stack overflow, an internal error), after
   * which no thread can be trusted.
   */
  public static void installDefaultHandler() {
    Thread.setDefaultUncaughtExceptionHandler(FatalErrors::uncaught);
  }

  static void uncaught(Thread thread, Throwable failure) {
    if (failure instanceof VirtualMachineError) {
      halt("thread " + thread.getName(), failure);
      return;
    }
    log.error("thread {} stopped on an uncaught failure", thread.getName(), RedactedFailure.of(failure));
  }
}
