package io.vigil.engine.feature;

import java.io.DataInput;
import java.io.DataOutput;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.IOException;

/**
 * What Vigil remembers about one account beyond the windows: when it was first seen, when it first
 * moved money, and the devices it has used (at most {@code devicesMax}; when full, the device seen
 * first is forgotten, so a 65th device pushes out the oldest).
 *
 * <p>Times are event times. "Seen before t" means a committed event with time ≤ t.
 */
final class AccountFacts {
  long firstEventMillis = Long.MAX_VALUE;
  long firstTransactionMillis = Long.MAX_VALUE;
  private long[] deviceHashes = new long[2];
  private long[] deviceFirstMillis = new long[2];
  private int deviceCount;

  void writeTo(StateWriter out) throws IOException {
    out.writeLong(firstEventMillis);
    out.writeLong(firstTransactionMillis);
    out.writeInt(deviceCount);
    out.writeLongs(deviceHashes, deviceCount);
    out.writeLongs(deviceFirstMillis, deviceCount);
  }

  static AccountFacts readFrom(StateReader in, int devicesMax) throws IOException {
    AccountFacts f = new AccountFacts();
    f.firstEventMillis = in.readLong();
    f.firstTransactionMillis = in.readLong();
    int n = in.readCount("devices of an account", devicesMax);
    f.deviceHashes = new long[Math.max(2, n)];
    f.deviceFirstMillis = new long[Math.max(2, n)];
    in.readLongs(f.deviceHashes, n);
    in.readLongs(f.deviceFirstMillis, n);
    f.deviceCount = n;
    return f;
  }

  boolean seenAtOrBefore(long tMillis) {
    return firstEventMillis <= tMillis;
  }

  boolean transactedAtOrBefore(long tMillis) {
    return firstTransactionMillis <= tMillis;
  }

  boolean deviceSeenAtOrBefore(long deviceHash, long tMillis) {
    int i = indexOf(deviceHash);
    return i >= 0 && deviceFirstMillis[i] <= tMillis;
  }

  void record(long tMillis, boolean movesMoney, long deviceHash, int devicesMax) {
    firstEventMillis = Math.min(firstEventMillis, tMillis);
    if (movesMoney) firstTransactionMillis = Math.min(firstTransactionMillis, tMillis);
    if (deviceHash == 0) return;
    int i = indexOf(deviceHash);
    if (i >= 0) {
      deviceFirstMillis[i] = Math.min(deviceFirstMillis[i], tMillis);
      return;
    }
    if (deviceCount == devicesMax) forgetOldestDevice();
    if (deviceCount == deviceHashes.length) {
      int capacity = Math.min(devicesMax, deviceHashes.length * 2);
      deviceHashes = java.util.Arrays.copyOf(deviceHashes, capacity);
      deviceFirstMillis = java.util.Arrays.copyOf(deviceFirstMillis, capacity);
    }
    deviceHashes[deviceCount] = deviceHash;
    deviceFirstMillis[deviceCount] = tMillis;
    deviceCount++;
  }

  /** Remembered devices first seen by a committed event with time ≤ tMillis. */
  int deviceCountAtOrBefore(long tMillis) {
    int n = 0;
    for (int i = 0; i < deviceCount; i++) if (deviceFirstMillis[i] <= tMillis) n++;
    return n;
  }

  /** Writes these facts (for a checkpoint); {@link #readFrom} reads them back. */
  void writeTo(DataOutput out) throws IOException {
    out.writeLong(firstEventMillis);
    out.writeLong(firstTransactionMillis);
    out.writeShort(deviceCount);
    for (int i = 0; i < deviceCount; i++) {
      out.writeLong(deviceHashes[i]);
      out.writeLong(deviceFirstMillis[i]);
    }
  }

  static AccountFacts readFrom(DataInput in, int devicesMax) throws IOException {
    AccountFacts f = new AccountFacts();
    f.firstEventMillis = in.readLong();
    f.firstTransactionMillis = in.readLong();
    int n = in.readShort();
    if (n < 0 || n > devicesMax) throw new IOException("an account with " + n + " devices (at most " + devicesMax + ")");
    f.deviceHashes = new long[Math.max(2, n)];
    f.deviceFirstMillis = new long[Math.max(2, n)];
    for (int i = 0; i < n; i++) {
      f.deviceHashes[i] = in.readLong();
      f.deviceFirstMillis[i] = in.readLong();
    }
    f.deviceCount = n;
    return f;
  }

  private int indexOf(long deviceHash) {
    for (int i = 0; i < deviceCount; i++) if (deviceHashes[i] == deviceHash) return i;
    return -1;
  }

  private void forgetOldestDevice() {
    int oldest = 0;
    for (int i = 1; i < deviceCount; i++) if (deviceFirstMillis[i] < deviceFirstMillis[oldest]) oldest = i;
    deviceCount--;
    deviceHashes[oldest] = deviceHashes[deviceCount];
    deviceFirstMillis[oldest] = deviceFirstMillis[deviceCount];
  }
}
