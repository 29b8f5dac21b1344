package io.vigil.server.privacy;

/** Whose data key seals a value: a person (an account), a merchant, the list entries, or nobody in particular. */
public final class Subjects {
  /** Events naming neither an account nor a merchant (the contract requires one; kept for safety). */
  public static final String UNATTRIBUTED = "unattributed";
  /** The values of list entries (block, allow and watch lists name values, not people). */
  public static final String LISTS = "lists";

  private Subjects() {}

  public static String account(String accountId) {
    return "account:" + accountId;
  }

  public static String merchant(String merchantId) {
    return "merchant:" + merchantId;
  }
}
