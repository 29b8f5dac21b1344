package io.vigil.server.privacy;

import io.vigil.engine.state.PartCipher;
import io.vigil.server.config.VigilProperties;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Personal data at rest: the keysets, the data keys, and what the journal, lists and checkpoints use. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PrivacyProperties.class)
public class PrivacyConfiguration {

  @Bean
  public MasterKeys personalDataMasterKeys(PrivacyProperties privacy, VigilProperties p) {
    return MasterKeys.open(privacy.keysetPath(p.dataDir()));
  }

  @Bean
  public LookupHashes personalDataLookupHashes(PrivacyProperties privacy, VigilProperties p) {
    return LookupHashes.open(privacy.lookupKeysetPath(p.dataDir()));
  }

  @Bean
  public DataKeys personalDataKeys(DataSource ds, MasterKeys master, PrivacyProperties privacy, Clock clock) {
    return new DataKeys(new DataKeyRepository(ds), master, clock, privacy.dataKeyCacheEntries());
  }

  @Bean
  public SealedValues sealedValues(DataKeys keys) {
    return new SealedValues(keys);
  }

  @Bean
  public JournalPrivacy journalPrivacy(SealedValues sealed, LookupHashes hashes) {
    return new JournalSealing(sealed, hashes);
  }

  /** Seals the list rows stored in plaintext before, so the list services load sealed rows only. */
  @Bean
  public ListSealing listSealing(SealedValues sealed, LookupHashes hashes, DataSource ds, Clock clock) {
    ListSealing lists = new ListSealing(sealed, hashes, clock);
    lists.sealStoredPlaintext(ds);
    return lists;
  }

  @Bean
  public PartCipher checkpointPartCipher(MasterKeys master) {
    return new CheckpointSealing(master);
  }

  @Bean
  public PersonalDataErasure personalDataErasure(DataKeys keys, Clock clock) {
    return new PersonalDataErasure(keys, clock);
  }

  @Bean
  public KeyRotation personalDataKeyRotation(DataKeys keys) {
    return new KeyRotation(keys);
  }
}
