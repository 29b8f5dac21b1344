package io.vigil.bench;

import java.util.SplittableRandom;

/**
 * Pre-generated account and merchant profiles, held in parallel arrays so that generating an
 * event only indexes into them. Account {@code a} owns devices {@code 2a} and {@code 2a+1} (the
 * second only if {@code deviceCounts[a] == 2}) and card slots the same way.
 */
final class AccountPool {
  static final int MERCHANTS_DEFAULT = 2_000;
  /** Share of accounts whose home address is a carrier-grade NAT address shared with others. */
  private static final double SHARED_IP_SHARE = 0.10;
  private static final int SHARED_IPS = 3_000;

  static final String[] USER_AGENTS = {
      "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
      "VigilWallet/5.2.1 (Android 13; Xiaomi 2201117TG)",
      "VigilWallet/5.2.0 (iOS 17.3; iPhone14,5)",
  };
  private static final String[] EMAIL_DOMAINS = {
      "gmail.com", "yahoo.com", "outlook.com", "proton.me", "example.com.bd", "mail.example.org"};
  private static final String[] BINS = {
      "411111", "424242", "455673", "510510", "520082", "535110", "601100", "622126", "37828200", "40128888"};

  /** Time zones with their share of accounts (percent), ISO country and phone prefix. */
  private static final String[] ZONES = {"Asia/Dhaka", "America/New_York", "Europe/London", "Europe/Berlin", "Asia/Singapore", "UTC"};
  private static final int[] ZONE_PERCENT = {60, 15, 8, 7, 5, 5};
  private static final String[] ZONE_COUNTRY = {"BD", "US", "GB", "DE", "SG", "US"};

  final int accountCount;
  final String[] accountIds;
  final String[] homeIps;
  final String[] phones;
  final String[] emails;
  final byte[] zoneIndex;
  final String[] currencies;
  final byte[] deviceCounts;
  final String[] deviceIds;
  final String[] deviceFingerprints;
  final byte[] deviceUserAgents;
  final byte[] cardCounts;
  final String[] cardTokens;
  final String[] cardBins;
  final String[] cardLast4s;
  final String[] merchantIds;

  AccountPool(long seed, int accountCount, int merchantCount) {
    if (accountCount < 1) throw new IllegalArgumentException("at least one account is required");
    SplittableRandom random = new SplittableRandom(seed);
    this.accountCount = accountCount;
    accountIds = new String[accountCount];
    homeIps = new String[accountCount];
    phones = new String[accountCount];
    emails = new String[accountCount];
    zoneIndex = new byte[accountCount];
    currencies = new String[accountCount];
    deviceCounts = new byte[accountCount];
    deviceIds = new String[2 * accountCount];
    deviceFingerprints = new String[2 * accountCount];
    deviceUserAgents = new byte[2 * accountCount];
    cardCounts = new byte[accountCount];
    cardTokens = new String[2 * accountCount];
    cardBins = new String[2 * accountCount];
    cardLast4s = new String[2 * accountCount];

    String[] sharedIps = new String[SHARED_IPS];
    for (int i = 0; i < sharedIps.length; i++) sharedIps[i] = randomIpv4(random);

    for (int a = 0; a < accountCount; a++) {
      accountIds[a] = "acct_" + Integer.toHexString(a);
      int zone = pickZone(random);
      zoneIndex[a] = (byte) zone;
      currencies[a] = homeCurrency(zone, random);
      double ipKind = random.nextDouble();
      homeIps[a] = ipKind < SHARED_IP_SHARE ? sharedIps[random.nextInt(SHARED_IPS)]
          : ipKind < 0.85 ? randomIpv4(random) : randomIpv6(random);
      phones[a] = randomPhone(ZONE_COUNTRY[zone], random);
      emails[a] = "u" + Integer.toHexString(a) + "." + (char) ('a' + random.nextInt(26)) + (char) ('a' + random.nextInt(26))
          + "@" + EMAIL_DOMAINS[random.nextInt(EMAIL_DOMAINS.length)];
      deviceCounts[a] = (byte) (random.nextDouble() < 0.3 ? 2 : 1);
      cardCounts[a] = (byte) (random.nextDouble() < 0.25 ? 2 : 1);
      for (int slot = 2 * a; slot < 2 * a + 2; slot++) {
        deviceIds[slot] = Ids.hex(random, "dev_", 16);
        deviceFingerprints[slot] = Ids.hex(random, "fp_", 24);
        deviceUserAgents[slot] = (byte) random.nextInt(USER_AGENTS.length);
        cardTokens[slot] = Ids.hex(random, "tok_", 20);
        cardBins[slot] = BINS[random.nextInt(BINS.length)];
        cardLast4s[slot] = Ids.digits(random, 4);
      }
    }
    merchantIds = new String[merchantCount];
    for (int m = 0; m < merchantCount; m++) merchantIds[m] = "mer_" + Integer.toHexString(m);
  }

  String timezone(int account) {
    return ZONES[zoneIndex[account]];
  }

  String country(int account) {
    return ZONE_COUNTRY[zoneIndex[account]];
  }

  /** A random time zone of the pool's distribution (for accounts created on the fly). */
  static int pickZone(SplittableRandom random) {
    int p = random.nextInt(100);
    for (int z = 0; z < ZONE_PERCENT.length; z++) {
      p -= ZONE_PERCENT[z];
      if (p < 0) return z;
    }
    return 0;
  }

  static String zoneName(int zone) {
    return ZONES[zone];
  }

  static String zoneCountry(int zone) {
    return ZONE_COUNTRY[zone];
  }

  /** Mostly USD; a third of Bangladeshi accounts pay in BDT, German (and half of UK) ones in EUR. */
  static String homeCurrency(int zone, SplittableRandom random) {
    return switch (ZONE_COUNTRY[zone]) {
      case "BD" -> random.nextInt(3) == 0 ? "BDT" : "USD";
      case "DE" -> "EUR";
      case "GB" -> random.nextBoolean() ? "EUR" : "USD";
      default -> "USD";
    };
  }

  static String randomEmailDomain(SplittableRandom random) {
    return EMAIL_DOMAINS[random.nextInt(EMAIL_DOMAINS.length)];
  }

  static String randomBin(SplittableRandom random) {
    return BINS[random.nextInt(BINS.length)];
  }

  /** A unicast-looking IPv4 literal outside 0/8, 10/8 and 127/8. */
  static String randomIpv4(SplittableRandom random) {
    int first;
    do {
      first = 1 + random.nextInt(223);
    } while (first == 10 || first == 127);
    return first + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
  }

  /** An IPv6 literal in the documentation prefix 2001:db8::/32. */
  static String randomIpv6(SplittableRandom random) {
    return "2001:db8:" + Integer.toHexString(random.nextInt(0x10000)) + ":" + Integer.toHexString(random.nextInt(0x10000))
        + "::" + Integer.toHexString(1 + random.nextInt(0xffff));
  }

  /** An E.164 mobile number for the country (at most 15 digits, so valid for the parser). */
  static String randomPhone(String country, SplittableRandom random) {
    return switch (country) {
      case "BD" -> "+8801" + (char) ('3' + random.nextInt(7)) + Ids.digits(random, 8);
      case "GB" -> "+447" + Ids.digits(random, 9);
      case "DE" -> "+4915" + Ids.digits(random, 9);
      case "SG" -> "+65" + (char) ('8' + random.nextInt(2)) + Ids.digits(random, 7);
      default -> "+1" + (char) ('2' + random.nextInt(8)) + Ids.digits(random, 2) + (char) ('2' + random.nextInt(8)) + Ids.digits(random, 6);
    };
  }
}
