package io.vigil.server.reports;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Collections;
import java.util.List;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.keyinfo.KeyValue;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Enveloped XML digital signature (RSA-SHA256 over the whole document, exclusive C14N, SHA-256
 * digest), appended as the last child of {@code <report>}, with the public key in {@code KeyInfo}.
 */
public final class ReportSigner {
  private final KeyPair keys;
  private final XMLSignatureFactory factory = XMLSignatureFactory.getInstance("DOM");

  public ReportSigner(KeyPair keys) {
    this.keys = keys;
  }

  public PublicKey publicKey() {
    return keys.getPublic();
  }

  public void sign(Document doc) {
    try {
      Reference ref = factory.newReference("", factory.newDigestMethod(DigestMethod.SHA256, null),
          List.of(factory.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
              factory.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)), null, null);
      SignedInfo si = factory.newSignedInfo(
          factory.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE, (C14NMethodParameterSpec) null),
          factory.newSignatureMethod(SignatureMethod.RSA_SHA256, null), Collections.singletonList(ref));
      KeyInfoFactory kif = factory.getKeyInfoFactory();
      KeyValue kv = kif.newKeyValue(keys.getPublic());
      KeyInfo ki = kif.newKeyInfo(Collections.singletonList(kv));
      XMLSignature signature = factory.newXMLSignature(si, ki);
      signature.sign(new DOMSignContext(keys.getPrivate(), doc.getDocumentElement()));
    } catch (GeneralSecurityException | MarshalException | XMLSignatureException e) {
      throw new IllegalStateException("signing the report failed", e);
    }
  }

  /** Whether the document's enveloped signature holds under {@code key}; false without a signature. */
  public static boolean verify(Document doc, PublicKey key) {
    NodeList nl = doc.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
    if (nl.getLength() != 1) return false;
    try {
      DOMValidateContext ctx = new DOMValidateContext(KeySelector.singletonKeySelector(key), nl.item(0));
      ctx.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
      XMLSignature signature = XMLSignatureFactory.getInstance("DOM").unmarshalXMLSignature(ctx);
      return signature.validate(ctx);
    } catch (MarshalException | XMLSignatureException e) {
      return false;
    }
  }
}
