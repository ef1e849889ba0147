<?xml version="1.0" encoding="UTF-8"?>
<!--
  header.xsl: the title and the source information block made from the TEI
  header (Guidelines ch. 2): source, URL, responsibilities (translator,
  editors), archival source, publisher, licence, edition, identifier.
  The rows are chosen once (template "info-rows") for both outputs.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <!-- The main title of a header, as plain text. -->
  <xsl:template name="main-title">
    <xsl:param name="header" select="."/>
    <xsl:variable name="titles" select="$header/tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:variable name="title" select="($titles[@type = 'main'] | $titles[not(@type)] | $titles)[1]"/>
    <xsl:variable name="text"><xsl:apply-templates select="$title" mode="plain"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="normalize-space($text) != ''"><xsl:value-of select="normalize-space($text)"/></xsl:when>
      <xsl:otherwise>Untitled text</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The title block of a header (or of a TEI without one). -->
  <xsl:template match="tei:teiHeader | tei:TEI | tei:teiCorpus" mode="title-block">
    <xsl:variable name="level"
        select="count(ancestor-or-self::tei:TEI | ancestor-or-self::tei:teiCorpus)"/>
    <xsl:element name="h{$level}">
      <xsl:attribute name="class">title</xsl:attribute>
      <xsl:call-template name="main-title"/>
    </xsl:element>
    <xsl:for-each select="tei:fileDesc/tei:titleStmt/tei:title[@type = 'sub']">
      <p class="subtitle"><xsl:apply-templates/></p>
    </xsl:for-each>
    <section class="source-info" aria-label="About this text">
      <dl>
        <xsl:call-template name="info-rows"><xsl:with-param name="format" select="'html'"/></xsl:call-template>
      </dl>
    </section>
  </xsl:template>

  <xsl:template match="tei:teiHeader | tei:TEI | tei:teiCorpus" mode="title-block-txt">
    <h level="1"><xsl:call-template name="main-title"/></h>
    <xsl:for-each select="tei:fileDesc/tei:titleStmt/tei:title[@type = 'sub']">
      <line><xsl:apply-templates mode="txt"/></line>
    </xsl:for-each>
    <xsl:call-template name="info-rows"><xsl:with-param name="format" select="'txt'"/></xsl:call-template>
  </xsl:template>

  <!-- The rows of the source information block. -->
  <xsl:template name="info-rows">
    <xsl:param name="format"/>
    <xsl:variable name="file" select="tei:fileDesc"/>
    <xsl:variable name="source" select="$file/tei:sourceDesc"/>
    <xsl:variable name="bibls" select="$source/tei:bibl[not(@type = 'archival')]
                                       | $source/tei:biblStruct | $source/tei:biblFull | $source/tei:p"/>
    <xsl:call-template name="info-row">
      <xsl:with-param name="format" select="$format"/>
      <xsl:with-param name="label" select="'Author'"/>
      <xsl:with-param name="nodes" select="$file/tei:titleStmt/tei:author"/>
    </xsl:call-template>
    <xsl:call-template name="info-row">
      <xsl:with-param name="format" select="$format"/>
      <xsl:with-param name="label" select="'Source'"/>
      <xsl:with-param name="nodes" select="$bibls"/>
    </xsl:call-template>
    <xsl:call-template name="info-row">
      <xsl:with-param name="format" select="$format"/>
      <xsl:with-param name="label" select="'URL'"/>
      <xsl:with-param name="nodes" select="$bibls//tei:ref[@target] | $bibls//tei:ptr[@target]
          | $bibls//tei:idno[@type = 'URI' or @type = 'URL' or @type = 'url']"/>
    </xsl:call-template>
    <xsl:for-each select="$file/tei:titleStmt/tei:respStmt">
      <xsl:call-template name="info-row">
        <xsl:with-param name="format" select="$format"/>
        <xsl:with-param name="label">
          <xsl:variable name="resp" select="normalize-space(tei:resp)"/>
          <xsl:value-of select="concat(translate(substring($resp, 1, 1), $lower, $upper),
                                       substring($resp, 2))"/>
        </xsl:with-param>
        <xsl:with-param name="nodes" select="*[not(self::tei:resp)]"/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:call-template name="info-row">
      <xsl:with-param name="format" select="$format"/>
      <xsl:with-param name="label" select="'Editor'"/>
      <xsl:with-param name="nodes" select="$file/tei:titleStmt/tei:editor"/>
    </xsl:call-template>
    <xsl:call-template name="info-row">
      <xsl:with-param name="format" select="$format"/>
      <xsl:with-param name="label" select="'Archival source'"/>
      <xsl:with-param name="nodes" select="$source/tei:listBibl/tei:bibl | $source/tei:bibl[@type = 'archival']
          | $source/tei:msDesc/tei:msIdentifier"/>
    </xsl:call-template>
    <xsl:call-template name="info-row">
      <xsl:with-param name="format" select="$format"/>
      <xsl:with-param name="label" select="'Date of the text'"/>
      <xsl:with-param name="nodes" select="tei:profileDesc/tei:creation/tei:date"/>
    </xsl:call-template>
    <xsl:call-template name="info-row">
      <xsl:with-param name="format" select="$format"/>
      <xsl:with-param name="label" select="'Published by'"/>
      <xsl:with-param name="nodes" select="$file/tei:publicationStmt/tei:publisher"/>
    </xsl:call-template>
    <xsl:call-template name="info-row">
      <xsl:with-param name="format" select="$format"/>
      <xsl:with-param name="label" select="'Licence'"/>
      <xsl:with-param name="nodes" select="$file/tei:publicationStmt/tei:availability/tei:licence
          | $file/tei:publicationStmt/tei:availability/tei:p"/>
    </xsl:call-template>
    <xsl:call-template name="info-row">
      <xsl:with-param name="format" select="$format"/>
      <xsl:with-param name="label" select="'Edition'"/>
      <xsl:with-param name="nodes" select="$file/tei:editionStmt/tei:edition"/>
    </xsl:call-template>
    <xsl:call-template name="info-row">
      <xsl:with-param name="format" select="$format"/>
      <xsl:with-param name="label" select="'Identifier'"/>
      <xsl:with-param name="nodes" select="$file/tei:publicationStmt/tei:idno"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="info-row">
    <xsl:param name="format"/>
    <xsl:param name="label"/>
    <xsl:param name="nodes"/>
    <xsl:if test="$nodes">
      <xsl:choose>
        <xsl:when test="$format = 'txt'">
          <line prefix="{$label}: ">
            <xsl:for-each select="$nodes">
              <xsl:if test="position() &gt; 1">; </xsl:if>
              <xsl:apply-templates select="." mode="info-txt"/>
            </xsl:for-each>
          </line>
        </xsl:when>
        <xsl:otherwise>
          <div class="info-row">
            <dt><xsl:value-of select="$label"/></dt>
            <xsl:for-each select="$nodes">
              <dd><xsl:apply-templates select="." mode="info"/></dd>
            </xsl:for-each>
          </div>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <!-- ================= how header elements show in a row ================= -->

  <!-- A bibl made of fields without punctuation: its fields joined by commas
       (links shown in the URL row); a bibl with its own punctuation as it is. -->
  <xsl:template match="tei:bibl[not(text()[normalize-space() != ''])] | tei:biblStruct
                       | tei:msIdentifier" mode="info">
    <xsl:for-each select=".//*[not(*)][not(self::tei:ref or self::tei:ptr or self::tei:note
                          or self::tei:idno[@type = 'URI' or @type = 'URL' or @type = 'url'])]
                          [normalize-space() != '' or @when]">
      <xsl:if test="position() &gt; 1">, </xsl:if>
      <xsl:apply-templates select="." mode="info"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:date[not(normalize-space())]" mode="info">
    <xsl:value-of select="@when"/>
  </xsl:template>

  <xsl:template match="tei:ref | tei:ptr | tei:idno[@type = 'URI' or @type = 'URL' or @type = 'url']"
      mode="info">
    <xsl:variable name="href">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="concat(@target, self::tei:idno)"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$href != ''"><a href="{$href}"><xsl:value-of select="$href"/></a></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat(@target, self::tei:idno)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:licence[@target]" mode="info">
    <xsl:variable name="href">
      <xsl:call-template name="safe-url"><xsl:with-param name="url" select="@target"/></xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$href != ''"><a rel="license" href="{$href}"><xsl:apply-templates mode="plain"/></a></xsl:when>
      <xsl:otherwise><xsl:apply-templates mode="plain"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="*" mode="info">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="tei:persName | tei:orgName | tei:placeName | tei:name
                       | tei:bibl[@type = 'archival'] | tei:date[normalize-space()]" mode="info">
    <xsl:apply-templates select="."/>
  </xsl:template>

  <!-- Plain text: the same, as text. -->
  <xsl:template match="*" mode="info-txt">
    <xsl:variable name="html"><xsl:apply-templates select="." mode="info"/></xsl:variable>
    <xsl:value-of select="$html"/>
  </xsl:template>

  <xsl:template match="tei:teiHeader//tei:title | tei:sourceDesc//tei:p">
    <span><xsl:call-template name="attrs"/><xsl:apply-templates/></span>
  </xsl:template>

</xsl:stylesheet>
