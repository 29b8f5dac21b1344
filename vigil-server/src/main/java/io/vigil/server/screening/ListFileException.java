package io.vigil.server.screening;

/** A list file that is not in its declared format: the message says where (line, element) and what. */
public final class ListFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public ListFileException(String message) {
    super(message);
  }
}
