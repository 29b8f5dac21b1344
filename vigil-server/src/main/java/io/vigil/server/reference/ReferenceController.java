package io.vigil.server.reference;

import io.vigil.engine.event.Canonical;
import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.signal.ReferenceData;
import io.vigil.engine.signal.card.BinInfo;
import io.vigil.engine.signal.geo.AsnInfo;
import io.vigil.engine.signal.geo.GeoLocation;
import io.vigil.engine.signal.phone.PhoneInfo;
import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.api.Page;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The live reference data, its history, reload, and lookups of single values for analysts. */
@RestController
public class ReferenceController {
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern BIN = Pattern.compile("[0-9]{6,8}");
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9.\\-]{1,253}");
  private final ReferenceService reference;

  public ReferenceController(ReferenceService reference) {
    this.reference = reference;
  }

  @GetMapping("/v1/reference")
  public Map<String, Object> live() {
    Map<String, Object> m = describe(reference.currentRecord());
    m.put("directory", reference.directory().toAbsolutePath().toString());
    return m;
  }

  @PostMapping("/v1/reference/reload")
  public Map<String, Object> reload(HttpServletRequest request) {
    reference.reload(Actor.of(request));
    return live();
  }

  @GetMapping("/v1/reference/versions")
  public Map<String, Object> versions(@RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) Long startingAfter) {
    int pageSize = Page.limit(limit);
    return Page.of(reference.history(startingAfter, Page.fetchSize(pageSize)), pageSize, ReferenceController::describe,
        ReferenceRepository.Version::version);
  }

  @GetMapping("/v1/reference/versions/{version}")
  public Map<String, Object> version(@PathVariable long version) {
    return describe(reference.version(version).orElseThrow(() ->
        ApiException.notFound("reference_version_not_found", "No such reference-data version", "version")));
  }

  /** What the live reference data says about one IP, phone, BIN, e-mail domain or currency. */
  @GetMapping("/v1/reference/lookup")
  public Map<String, Object> lookup(@RequestParam(required = false) String ip, @RequestParam(required = false) String phone,
      @RequestParam(required = false) String bin, @RequestParam(name = "email_domain", required = false) String emailDomain,
      @RequestParam(required = false) String currency) {
    if (ip == null && phone == null && bin == null && emailDomain == null && currency == null) {
      throw ApiException.invalid("missing_field", "give at least one of ip, phone, bin, email_domain, currency", "ip");
    }
    ReferenceData data = reference.current();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("reference_version", data.version());
    if (ip != null) out.put("ip", ipView(data, ip));
    if (phone != null) out.put("phone", phoneView(data, phone));
    if (bin != null) out.put("bin", binView(data, bin));
    if (emailDomain != null) out.put("email_domain", emailView(data, emailDomain));
    if (currency != null) out.put("currency", currencyView(data, currency));
    return out;
  }

  /** The currency's rate to the base currency, with the rates' date; {@code known} false without one. */
  private static Map<String, Object> currencyView(ReferenceData data, String currency) {
    if (!Canonical.isIsoCurrency(currency)) {
      throw ApiException.invalid("invalid_currency", "currency must be an upper-case ISO 4217 code such as BDT", "currency");
    }
    ExchangeRates rates = data.rates();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("currency", currency);
    m.put("known", rates.knows(currency));
    m.put("units_per_base", rates.unitsPerBase(currency));
    m.put("base_currency", rates.baseCurrency());
    m.put("as_of", rates.asOf().toString());
    return m;
  }

  private static Map<String, Object> ipView(ReferenceData data, String text) {
    String ip = text.length() > 45 ? null : Canonical.ipAddress(text);
    if (ip == null) throw ApiException.invalid("invalid_ip", "ip must be an IPv4 or IPv6 address literal", "ip");
    GeoLocation g = data.geo() == null ? GeoLocation.UNKNOWN : data.geo().locate(ip);
    AsnInfo a = data.asn() == null ? AsnInfo.UNKNOWN : data.asn().lookup(ip);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ip", ip);
    m.put("country", g.country());
    m.put("region", g.region());
    m.put("city", g.city());
    m.put("latitude", g.hasCoordinates() ? g.latitudeDeg() : null);
    m.put("longitude", g.hasCoordinates() ? g.longitudeDeg() : null);
    m.put("asn", a.asn() == 0 ? null : a.asn());
    m.put("as_org", a.organization());
    m.put("hosting", a.asn() != 0 && data.reputation().isHostingAsn(a.asn()));
    m.put("proxy", data.reputation().isProxy(ip));
    m.put("vpn", data.reputation().isVpn(ip));
    m.put("tor", data.reputation().isTor(ip));
    return m;
  }

  private static Map<String, Object> phoneView(ReferenceData data, String phone) {
    if (!E164.matcher(phone).matches()) {
      throw ApiException.invalid("invalid_phone", "phone must be in E.164 form, e.g. +8801712345678", "phone");
    }
    PhoneInfo p = data.phones().describe(phone);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid", p.valid());
    m.put("country", p.region());
    m.put("type", p.numberType());
    m.put("operator", p.operator());
    return m;
  }

  private static Map<String, Object> binView(ReferenceData data, String bin) {
    if (!BIN.matcher(bin).matches()) throw ApiException.invalid("invalid_format", "bin must be 6 to 8 digits", "bin");
    BinInfo b = data.bins().lookup(bin);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("known", b != null);
    if (b != null) {
      m.put("scheme", b.scheme());
      m.put("type", b.cardType());
      m.put("prepaid", b.prepaid());
      m.put("country", b.country());
      m.put("issuer", b.issuer());
    }
    return m;
  }

  private static Map<String, Object> emailView(ReferenceData data, String domain) {
    String d = domain.toLowerCase(java.util.Locale.ROOT);
    if (!DOMAIN.matcher(d).matches()) throw ApiException.invalid("invalid_format", "email_domain must be a domain name", "email_domain");
    return Map.of("disposable", data.emails().isDisposable(d), "free_mail", data.emails().isFreeMail(d));
  }

  /** A reference-data set as the API answers it (the console's reference screen shows the same). */
  public static Map<String, Object> describe(ReferenceRepository.Version v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", v.version());
    m.put("loaded_at", Instant.ofEpochMilli(v.loadedAtMillis()).toString());
    m.put("loaded_by", v.loadedBy());
    m.put("components", Json.readMap(v.components()));
    return m;
  }
}
