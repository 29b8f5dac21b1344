package io.vigil.engine.signal.links;

import java.util.Arrays;

/**
 * One identifier of the graph (a device, phone, card token …), known only by its keyed 64-bit hash,
 * with the accounts linked to it.
 *
 * <p>{@code members} holds at most {@code accountsPerIdentifierMax} accounts. When one more account
 * links, the identifier becomes saturated for good: from then on it stores no new account (the
 * account still lists the identifier), and its sharing count reads as the cap. So while an
 * identifier is not saturated, every account that links to it is a member.
 *
 * <p>{@code linkCount} counts the account-side links to this node, members or not; the graph drops
 * the node when it reaches zero. Bytes (64-bit JVM, compressed references): 40 for the object, 16
 * for the members array header, 4 per member slot (grown by doubling).
 */
final class IdentifierNode {
  /** Member slots allocated for a new identifier: most identifiers belong to one account. */
  static final int MEMBERS_INITIAL = 2;

  final LinkKind kind;
  final long hash;
  boolean saturated;
  /** Equals the graph's walk epoch when the current cluster walk has expanded this identifier. */
  int walkStamp;
  int linkCount;
  int memberCount;
  AccountNode[] members = new AccountNode[MEMBERS_INITIAL];

  IdentifierNode(LinkKind kind, long hash) {
    assert kind != null;
    this.kind = kind;
    this.hash = hash;
  }

  /**
   * Stores a newly linked account. Returns false, and saturates the identifier, when it is already
   * saturated or already holds membersMax accounts.
   */
  boolean addMember(AccountNode account, int membersMax) {
    assert memberCount <= membersMax;
    if (saturated || memberCount == membersMax) {
      saturated = true;
      return false;
    }
    if (memberCount == members.length) members = Arrays.copyOf(members, Math.min(membersMax, members.length * 2));
    members[memberCount] = account;
    memberCount++;
    return true;
  }

  /** Removes the account if it is a member. At most membersMax comparisons. */
  void removeMember(AccountNode account) {
    for (int i = 0; i < memberCount; i++) {
      if (members[i] != account) continue;
      memberCount--;
      members[i] = members[memberCount];
      members[memberCount] = null;
      return;
    }
    assert saturated : "an account linked to an unsaturated identifier is one of its members";
  }

  /**
   * Other accounts sharing this identifier, seen from an account linked to it: the members but
   * that account, or membersMax once saturated (at least membersMax accounts besides it have
   * linked: the members it is not, or the refused ones).
   */
  int othersSharing(int membersMax) {
    if (saturated) return membersMax;
    assert memberCount >= 1 : "the asking account is a member";
    return memberCount - 1;
  }

  /** The ids of at most {@code max} members other than {@code account}, in member order. */
  java.util.List<String> otherMembers(AccountNode account, int max) {
    java.util.List<String> ids = new java.util.ArrayList<>(Math.min(max, memberCount));
    for (int i = 0; i < memberCount && ids.size() < max; i++) { // at most membersMax
      if (members[i] != account) ids.add(members[i].accountId);
    }
    return ids;
  }
}
