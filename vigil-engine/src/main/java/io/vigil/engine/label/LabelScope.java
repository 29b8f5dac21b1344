package io.vigil.engine.label;

/** The keys label windows are kept by: the customer (account, card) and the merchant (terminal). */
public enum LabelScope {
  ACCOUNT,
  MERCHANT;

  String keyOf(Label label) {
    return this == ACCOUNT ? label.accountId() : label.merchantId();
  }
}
