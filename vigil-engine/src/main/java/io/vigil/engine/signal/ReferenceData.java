package io.vigil.engine.signal;

import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.signal.card.BinTable;
import io.vigil.engine.signal.code.PaymentCodes;
import io.vigil.engine.signal.geo.AsnDatabase;
import io.vigil.engine.signal.geo.GeoDatabase;
import io.vigil.engine.signal.geo.IpReputation;
import io.vigil.engine.signal.geo.RegionGraph;
import io.vigil.engine.signal.identity.EmailDomains;
import io.vigil.engine.signal.identity.NationalIdValidators;
import io.vigil.engine.signal.phone.PhoneSignals;
import java.util.Map;
import java.util.Objects;

/**
 * One immutable, versioned set of reference data. The engine swaps whole sets atomically, so a
 * decision uses one set from start to end and records its {@link #version}. A missing geo or ASN
 * database is null and reads as "unknown", never as a guess.
 *
 * @param version increases with every successful load
 * @param components each component's name → its own version (content hash, database build date),
 *     or {@code not_configured}
 */
public record ReferenceData(
    long version,
    Map<String, String> components,
    GeoDatabase geo,
    AsnDatabase asn,
    IpReputation reputation,
    RegionGraph regions,
    PhoneSignals phones,
    BinTable bins,
    EmailDomains emails,
    NationalIdValidators nationalIds,
    PaymentCodes paymentCodes,
    ExchangeRates rates) {

  public static final String NOT_CONFIGURED = "not_configured";

  public ReferenceData {
    components = Map.copyOf(components);
    if (version < 0) throw new IllegalArgumentException("version must be ≥ 0");
    Objects.requireNonNull(reputation);
    Objects.requireNonNull(regions);
    Objects.requireNonNull(phones);
    Objects.requireNonNull(bins);
    Objects.requireNonNull(emails);
    Objects.requireNonNull(nationalIds);
    Objects.requireNonNull(paymentCodes);
    Objects.requireNonNull(rates);
  }
}
