package io.vigil.engine.signal;

import io.vigil.engine.event.Event;
import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.money.Money;
import io.vigil.engine.screening.Screener;
import io.vigil.engine.screening.ScreeningOutcome;
import io.vigil.engine.signal.card.BinInfo;
import io.vigil.engine.signal.code.PaymentCodes;
import io.vigil.engine.signal.geo.AsnInfo;
import io.vigil.engine.signal.geo.GeoLocation;
import io.vigil.engine.signal.identity.NationalIdCheck;
import io.vigil.engine.signal.identity.NationalIdValidator;
import io.vigil.engine.signal.links.LinkKind;
import io.vigil.engine.signal.links.LinkSnapshot;
import io.vigil.engine.signal.phone.PhoneInfo;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The signals of one event, by the names rules use ({@code ip.country}, {@code phone.operator},
 * {@code links.cluster_size} …). Stateful values are fixed when the event is observed; lookups
 * that only read reference data (ASN, phone, BIN, e-mail, national ID, payment code) run the first
 * time a rule asks and are kept for the rest of the decision.
 *
 * <p>Unknown reads as "" for strings, -1 for numbers that measure something (distances, ages,
 * ASN 0) and false for flags, so a rule never fires on missing data by accident. Comparisons of
 * two countries ({@code *_mismatch_*}) are true only when both are known and differ.
 */
public final class Signals {
  /** Type of each name: "string", "int", "double" or "bool". The rule compiler declares them. */
  public static final Map<String, String> DECLARATIONS = declarations();
  /** Each declared name as {group, field}: "geo.regions_24h" → {"geo", "regions_24h"}. */
  private static final Map<String, String[]> SPLIT = split(DECLARATIONS.keySet());

  /** {@code identity.national_id_check} when no validator knows the ID's type. */
  public static final String UNKNOWN_ID_TYPE = "unknown_type";

  private final Event event;
  private final ReferenceData reference;
  private final SignalConfig config;
  private final GeoLocation ipGeo;
  private final GeoHistory.Observation geo;
  private final String accountCountry;
  private final boolean phoneNewForAccount;
  private final long phoneBoundMillis;
  private final LinkSnapshot links;
  private final int challengeFailures1h;
  private final int challengeFailures24h;
  private AsnInfo asn;
  private PhoneInfo phone;
  private BinInfo bin;
  private boolean binLooked;
  private NationalIdCheck nationalIdCheck;
  private PaymentCodes.Target paymentCode;
  private boolean paymentCodeLooked;
  private long amountBaseMinor;
  private double amountBaseMajor;
  private boolean amountBaseConverted;
  private Screener screener = Screener.NONE;
  private ScreeningOutcome screening;

  Signals(Event event, ReferenceData reference, SignalConfig config, GeoLocation ipGeo, GeoHistory.Observation geo,
      String accountCountry, boolean phoneNewForAccount, long phoneBoundMillis, LinkSnapshot links,
      int challengeFailures1h, int challengeFailures24h) {
    this.event = event;
    this.reference = Objects.requireNonNull(reference);
    this.config = config;
    this.ipGeo = ipGeo;
    this.geo = geo;
    this.accountCountry = accountCountry;
    this.phoneNewForAccount = phoneNewForAccount;
    this.phoneBoundMillis = phoneBoundMillis;
    this.links = links;
    this.challengeFailures1h = challengeFailures1h;
    this.challengeFailures24h = challengeFailures24h;
  }

  /** Sets who screens this event's parties when a rule first reads a {@code screening.*} signal. */
  public Signals screenedBy(Screener by) {
    this.screener = Objects.requireNonNull(by);
    return this;
  }

  /** The screening outcome of this event: screened once, on first use. */
  public ScreeningOutcome screening() {
    if (screening == null) screening = event.parties().any() || event.accountId() != null || event.merchantId() != null
        ? screener.screen(event) : ScreeningOutcome.CLEAR;
    return screening;
  }

  /** The IP's country, or null when unknown. */
  public String ipCountry() {
    return ipGeo.country();
  }

  public long referenceVersion() {
    return reference.version();
  }

  /** The base currency of this decision's exchange rates. */
  public String baseCurrency() {
    return reference.rates().baseCurrency();
  }

  /**
   * The event's amount in minor units of the base currency, rounded down, at this decision's
   * exchange rates; 0 without an amount, {@link ExchangeRates#UNKNOWN} when its currency has no rate.
   */
  public long amountBaseMinor() {
    convertAmountToBase();
    return amountBaseMinor;
  }

  /** {@link #amountBaseMinor} in major units of the base currency; -1.0 when its currency has no rate. */
  public double amountBaseMajor() {
    convertAmountToBase();
    return amountBaseMajor;
  }

  /** Converts once per decision: the rules, the hold check and the structuring band all read it. */
  private void convertAmountToBase() {
    if (amountBaseConverted) return;
    ExchangeRates rates = reference.rates();
    amountBaseMinor = rates.toBaseMinor(event);
    amountBaseMajor = amountBaseMinor == ExchangeRates.UNKNOWN ? -1.0
        : Money.major(amountBaseMinor, rates.baseCurrency()).doubleValue();
    amountBaseConverted = true;
  }

  /** The value of a declared signal name, or null for a name that is not a signal. */
  public Object value(String name) {
    String[] groupAndField = SPLIT.get(name); // declared names are split once, not on every read
    if (groupAndField == null) return null;
    String field = groupAndField[1];
    return switch (groupAndField[0]) {
      case "ip" -> ip(field);
      case "geo" -> geo(field);
      case "account" -> switch (field) {
        case "country" -> orEmpty(accountCountry);
        case "challenge_failures_1h" -> (long) challengeFailures1h;
        case "challenge_failures_24h" -> (long) challengeFailures24h;
        default -> null;
      };
      case "phone" -> phone(field);
      case "card" -> card(field);
      case "email" -> email(field);
      case "identity" -> identity(field);
      case "links" -> links(field);
      case "payment_code" -> paymentCode(field);
      case "client" -> client(field);
      case "screening" -> screening(field);
      default -> null;
    };
  }

  private Object ip(String field) {
    String ip = event.ip();
    return switch (field) {
      case "known" -> ipGeo.known();
      case "country" -> orEmpty(ipGeo.country());
      case "region" -> orEmpty(ipGeo.region());
      case "city" -> orEmpty(ipGeo.city());
      case "latitude" -> ipGeo.hasCoordinates() ? ipGeo.latitudeDeg() : 0.0;
      case "longitude" -> ipGeo.hasCoordinates() ? ipGeo.longitudeDeg() : 0.0;
      case "asn" -> asn().asn();
      case "as_org" -> orEmpty(asn().organization());
      case "hosting" -> asn().asn() != 0 && reference.reputation().isHostingAsn(asn().asn());
      case "proxy" -> ip != null && reference.reputation().isProxy(ip);
      case "vpn" -> ip != null && reference.reputation().isVpn(ip);
      case "tor" -> ip != null && reference.reputation().isTor(ip);
      case "anonymous" -> ip != null && (reference.reputation().isProxy(ip) || reference.reputation().isVpn(ip)
          || reference.reputation().isTor(ip));
      default -> null;
    };
  }

  private Object geo(String field) {
    return switch (field) {
      case "usual_country" -> orEmpty(geo.usualCountry());
      case "usual_region" -> orEmpty(geo.usualRegion());
      case "distance_from_usual_km" -> geo.distanceFromUsualKm();
      case "regions_from_usual" -> (long) regionsFromUsual();
      case "regions_24h" -> (long) geo.regions24h();
      case "travel_distance_km" -> geo.travelDistanceKm();
      case "travel_speed_kmh" -> geo.travelSpeedKmh();
      case "impossible_travel" -> geo.travelDistanceKm() >= config.impossibleTravelDistanceKmMin()
          && geo.travelSpeedKmh() > config.impossibleTravelSpeedKmh();
      case "ip_country_mismatch_account" -> differ(ipGeo.country(), accountCountry);
      case "ip_country_mismatch_phone" -> differ(ipGeo.country(), phoneInfo().valid() ? phoneInfo().region() : null);
      case "ip_country_mismatch_bin" -> differ(ipGeo.country(), binInfo() == null ? null : binInfo().country());
      case "bin_country_mismatch_account" -> differ(binInfo() == null ? null : binInfo().country(), accountCountry);
      case "nonresident_local_proxy" -> nonResidentOnLocalProxy();
      default -> null;
    };
  }

  /** Regions between the usual one and this one in the region graph; -1 when either is unknown. */
  private int regionsFromUsual() {
    if (geo.usualRegion() == null || ipGeo.region() == null || !Objects.equals(geo.usualCountry(), ipGeo.country())) {
      return -1;
    }
    return reference.regions().hops(ipGeo.country(), geo.usualRegion(), ipGeo.region(), config.regionHopsMax());
  }

  /** AML red flag: an account from abroad on a proxy or VPN that exits in the home market. */
  private boolean nonResidentOnLocalProxy() {
    String home = config.homeCountry();
    if (home == null || accountCountry == null || accountCountry.equals(home) || !home.equals(ipGeo.country())) return false;
    String ip = event.ip();
    return reference.reputation().isProxy(ip) || reference.reputation().isVpn(ip);
  }

  private Object phone(String field) {
    return switch (field) {
      case "valid" -> phoneInfo().valid();
      case "country" -> phoneInfo().region();
      case "type" -> phoneInfo().numberType();
      case "operator" -> phoneInfo().operator();
      case "new_for_account" -> phoneNewForAccount;
      case "account_binding_age_days" -> phoneBoundMillis < 0 ? -1L
          : Math.max(0L, (event.occurredAtMillis() - phoneBoundMillis) / 86_400_000L);
      case "sim_binding_age_days" -> (long) event.simBindingAgeDays();
      default -> null;
    };
  }

  private Object card(String field) {
    BinInfo info = binInfo();
    return switch (field) {
      case "bin_known" -> info != null;
      case "scheme" -> info == null ? "" : info.scheme();
      case "type" -> info == null ? "" : info.cardType();
      case "prepaid" -> info != null && info.prepaid();
      case "issuer" -> info == null ? "" : info.issuer();
      case "country" -> info == null ? "" : info.country();
      default -> null;
    };
  }

  private Object email(String field) {
    String domain = event.emailDomain();
    return switch (field) {
      case "disposable" -> domain != null && reference.emails().isDisposable(domain);
      case "free_mail" -> domain != null && reference.emails().isFreeMail(domain);
      default -> null;
    };
  }

  private Object identity(String field) {
    Event.Identity identity = event.identity();
    return switch (field) {
      case "has_national_id" -> identity.nationalId() != null;
      case "national_id_type" -> orEmpty(identity.nationalIdType());
      case "national_id_valid" -> nationalIdCheck() != null && nationalIdCheck().valid();
      case "national_id_check" -> nationalIdCheck() == null ? "" : nationalIdCheck().code();
      case "document_status" -> orEmpty(identity.documentStatus());
      default -> null;
    };
  }

  private Object links(String field) {
    if (field.startsWith("accounts_sharing_")) {
      LinkKind kind = LinkKind.fromWireName(field.substring("accounts_sharing_".length()));
      return kind == null ? null : links == null ? 0L : (long) links.accountsSharing(kind);
    }
    return switch (field) {
      case "cluster_size" -> links == null ? 0L : (long) links.clusterSize();
      case "cluster_capped" -> links != null && links.clusterCapped();
      case "linked_blocked" -> links != null && links.linkedBlocked();
      case "linked_fraud" -> links != null && links.linkedFraud();
      default -> null;
    };
  }

  private Object paymentCode(String field) {
    PaymentCodes.Target target = paymentCodeTarget();
    return switch (field) {
      case "present" -> event.paymentCode() != null;
      case "known" -> target != null;
      case "unregistered" -> event.paymentCode() != null && target == null && reference.paymentCodes().size() > 0;
      case "institution" -> target == null ? "" : orEmpty(target.institution());
      case "merchant_id" -> target == null ? "" : orEmpty(target.merchantId());
      case "account_id" -> target == null ? "" : orEmpty(target.accountId());
      case "device_id" -> target == null ? "" : orEmpty(target.deviceId());
      case "merchant_mismatch" -> target != null && target.merchantId() != null && event.merchantId() != null
          && !target.merchantId().equals(event.merchantId());
      default -> null;
    };
  }

  private Object client(String field) {
    return switch (field) {
      case "accept_language" -> orEmpty(event.acceptLanguage());
      case "geo_cookie_country" -> orEmpty(event.geoCookieCountry());
      default -> null;
    };
  }

  private Object screening(String field) {
    ScreeningOutcome o = screening();
    return switch (field) {
      case "sanctions_hit" -> o.hit();
      case "score" -> o.hit() ? o.best().score() : 0.0;
      case "list" -> o.hit() ? o.best().listName() : "";
      case "entry_id" -> o.hit() ? o.best().entry().entryId() : "";
      case "entry_name" -> o.hit() ? o.best().entry().primaryName() : "";
      case "party" -> o.party();
      case "country_blocked" -> o.countryBlocked();
      case "blocked_country" -> o.blockedCountry();
      case "blocked_party" -> o.blockedParty();
      default -> null;
    };
  }

  private AsnInfo asn() {
    if (asn == null) asn = event.ip() == null || reference.asn() == null ? AsnInfo.UNKNOWN : reference.asn().lookup(event.ip());
    return asn;
  }

  private PhoneInfo phoneInfo() {
    if (phone == null) phone = event.phone() == null ? PhoneInfo.UNPARSABLE : reference.phones().describe(event.phone());
    return phone;
  }

  private BinInfo binInfo() {
    if (!binLooked) {
      bin = event.cardBin() == null ? null : reference.bins().lookup(event.cardBin());
      binLooked = true;
    }
    return bin;
  }

  /** The event's date in UTC: national IDs are judged as of it, never as of the wall clock. */
  private LocalDate eventDate() {
    return LocalDate.ofInstant(Instant.ofEpochMilli(event.occurredAtMillis()), ZoneOffset.UTC);
  }

  private NationalIdCheck nationalIdCheck() {
    Event.Identity identity = event.identity();
    if (nationalIdCheck == null && identity.nationalId() != null) {
      NationalIdValidator validator = reference.nationalIds().find(identity.nationalIdType());
      nationalIdCheck = validator == null
          ? NationalIdCheck.invalid(UNKNOWN_ID_TYPE, "no validator for national ID type " + identity.nationalIdType())
          : validator.check(identity.nationalId(), identity.dateOfBirth(), eventDate());
    }
    return nationalIdCheck;
  }

  private PaymentCodes.Target paymentCodeTarget() {
    if (!paymentCodeLooked) {
      paymentCode = reference.paymentCodes().lookup(event.paymentCode());
      paymentCodeLooked = true;
    }
    return paymentCode;
  }

  private static boolean differ(String a, String b) {
    return a != null && b != null && !a.isEmpty() && !b.isEmpty() && !a.equals(b);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static Map<String, String> declarations() {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, "bool", "ip.known", "ip.hosting", "ip.proxy", "ip.vpn", "ip.tor", "ip.anonymous");
    put(m, "string", "ip.country", "ip.region", "ip.city", "ip.as_org");
    put(m, "double", "ip.latitude", "ip.longitude");
    put(m, "int", "ip.asn");
    put(m, "string", "geo.usual_country", "geo.usual_region");
    put(m, "double", "geo.distance_from_usual_km", "geo.travel_distance_km", "geo.travel_speed_kmh");
    put(m, "int", "geo.regions_from_usual", "geo.regions_24h");
    put(m, "bool", "geo.impossible_travel", "geo.ip_country_mismatch_account", "geo.ip_country_mismatch_phone",
        "geo.ip_country_mismatch_bin", "geo.bin_country_mismatch_account", "geo.nonresident_local_proxy");
    put(m, "string", "account.country");
    put(m, "int", "account.challenge_failures_1h", "account.challenge_failures_24h");
    put(m, "bool", "phone.valid", "phone.new_for_account");
    put(m, "string", "phone.country", "phone.type", "phone.operator");
    put(m, "int", "phone.account_binding_age_days", "phone.sim_binding_age_days");
    put(m, "bool", "card.bin_known", "card.prepaid");
    put(m, "string", "card.scheme", "card.type", "card.issuer", "card.country");
    put(m, "bool", "email.disposable", "email.free_mail");
    put(m, "bool", "identity.has_national_id", "identity.national_id_valid");
    put(m, "string", "identity.national_id_type", "identity.national_id_check", "identity.document_status");
    for (LinkKind kind : LinkKind.values()) put(m, "int", "links.accounts_sharing_" + kind.wireName());
    put(m, "int", "links.cluster_size");
    put(m, "bool", "links.cluster_capped", "links.linked_blocked", "links.linked_fraud");
    put(m, "bool", "payment_code.present", "payment_code.known", "payment_code.unregistered", "payment_code.merchant_mismatch");
    put(m, "string", "payment_code.institution", "payment_code.merchant_id", "payment_code.account_id",
        "payment_code.device_id");
    put(m, "string", "client.accept_language", "client.geo_cookie_country");
    put(m, "bool", "screening.sanctions_hit", "screening.country_blocked");
    put(m, "double", "screening.score");
    put(m, "string", "screening.list", "screening.entry_id", "screening.entry_name", "screening.party",
        "screening.blocked_country", "screening.blocked_party");
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, String[]> split(java.util.Set<String> names) {
    Map<String, String[]> out = new java.util.HashMap<>();
    for (String name : names) {
      int dot = name.indexOf('.');
      out.put(name, new String[] {name.substring(0, dot), name.substring(dot + 1)});
    }
    return Map.copyOf(out);
  }

  private static void put(Map<String, String> m, String type, String... names) {
    for (String name : names) m.put(name, type);
  }
}
