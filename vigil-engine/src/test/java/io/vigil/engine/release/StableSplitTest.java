package io.vigil.engine.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StableSplitTest {
  private static final int ACCOUNTS = 20_000;

  @Test
  void anAccountOnTheCandidateSideStaysThereAsThePercentageGrows() {
    for (int i = 0; i < ACCOUNTS; i++) {
      String account = "acct-split-" + i;
      boolean before = false;
      for (int percent = 0; percent <= 100; percent++) {
        boolean now = StableSplit.candidate(account, percent);
        assertThat(!before || now).as("%s left the candidate side at %d %%", account, percent).isTrue();
        before = now;
      }
      assertThat(StableSplit.candidate(account, 0)).isFalse();
      assertThat(StableSplit.candidate(account, 100)).isTrue();
    }
  }

  @Test
  void aboutNPercentOfManyAccountsAreOnTheCandidateSide() {
    for (int percent : new int[] {1, 10, 25, 50, 90}) {
      int candidates = 0;
      for (int i = 0; i < ACCOUNTS; i++) if (StableSplit.candidate("acct-share-" + i, percent)) candidates++;
      double share = 100.0 * candidates / ACCOUNTS;
      // Binomial: the standard deviation at 50 % over 20,000 accounts is 0.35 points; 1.5 points is over 4 sigma.
      assertThat(share).as("share at %d %%", percent).isBetween(percent - 1.5, percent + 1.5);
    }
  }

  @Test
  void theBucketIsStableAndInRange() {
    int b = StableSplit.bucket("acct-stable");
    assertThat(StableSplit.bucket("acct-stable")).isEqualTo(b);
    assertThat(b).isBetween(0, StableSplit.BUCKETS - 1);
    assertThat(StableSplit.candidate(null, 50)).as("no account: live").isFalse();
    assertThatThrownBy(() -> StableSplit.candidate("a", 101)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StableSplit.candidate("a", -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
