<?xml version="1.0" encoding="UTF-8"?>
<!--
  namesdates.xsl: names, dates and bibliographic references (Guidelines
  ch. 13 names and dates, 3.12 bibliographic citations).  Names with @ref
  link to the register; uncertain identifications are marked.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <!-- person | place | org | name: what a naming element refers to. -->
  <xsl:template name="entity-kind">
    <xsl:choose>
      <xsl:when test="self::tei:persName or self::tei:rs[@type = 'person']">person</xsl:when>
      <xsl:when test="self::tei:placeName or self::tei:geogName or self::tei:settlement
                      or self::tei:country or self::tei:region or self::tei:bloc
                      or self::tei:district or self::tei:rs[@type = 'place']">place</xsl:when>
      <xsl:when test="self::tei:orgName or self::tei:rs[@type = 'org']">org</xsl:when>
      <xsl:otherwise>name</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:persName | tei:placeName | tei:geogName | tei:orgName | tei:name
                       | tei:rs | tei:settlement | tei:country | tei:region | tei:bloc
                       | tei:district">
    <xsl:variable name="kind"><xsl:call-template name="entity-kind"/></xsl:variable>
    <xsl:variable name="linked" select="boolean(@ref or @key)"/>
    <xsl:variable name="uncertain" select="@cert = 'low' or @cert = 'unknown'"/>
    <xsl:call-template name="link">
      <xsl:with-param name="href">
        <xsl:call-template name="href">
          <xsl:with-param name="pointer" select="@ref"/>
          <xsl:with-param name="to-register" select="true()"/>
          <xsl:with-param name="kind" select="$kind"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="class">
        <xsl:value-of select="$kind"/>
        <xsl:if test="$uncertain"> uncertain</xsl:if>
        <xsl:if test="not($linked)"> unlinked</xsl:if>
      </xsl:with-param>
      <xsl:with-param name="title">
        <xsl:choose>
          <xsl:when test="$linked and $uncertain">Identification uncertain</xsl:when>
          <xsl:when test="$uncertain">Not identified: not in the register</xsl:when>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:roleName | tei:forename | tei:surname | tei:addName | tei:genName
                       | tei:nameLink | tei:affiliation | tei:location | tei:geo">
    <span><xsl:call-template name="attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <!-- The register entries of the file's standOff (person, personGrp, place,
       org) of the kinds no register page is given for (a page rendered alone):
       a section of the page, each entry under its own id, which names link to. -->
  <xsl:template name="entities">
    <xsl:variable name="shown" select="//tei:standOff//*[@xml:id]
        [(self::tei:person or self::tei:personGrp) and $persons-href = ''
         or self::tei:place and $places-href = '' or self::tei:org and $organisations-href = '']"/>
    <xsl:if test="$shown">
      <section class="entities" aria-labelledby="entities-heading">
        <h2 id="entities-heading">Persons, places and organisations</h2>
        <xsl:call-template name="entity-group">
          <xsl:with-param name="title" select="'Persons'"/>
          <xsl:with-param name="entries" select="$shown[self::tei:person or self::tei:personGrp]"/>
        </xsl:call-template>
        <xsl:call-template name="entity-group">
          <xsl:with-param name="title" select="'Places'"/>
          <xsl:with-param name="entries" select="$shown[self::tei:place]"/>
        </xsl:call-template>
        <xsl:call-template name="entity-group">
          <xsl:with-param name="title" select="'Organisations'"/>
          <xsl:with-param name="entries" select="$shown[self::tei:org]"/>
        </xsl:call-template>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="entity-group">
    <xsl:param name="title"/>
    <xsl:param name="entries"/>
    <xsl:if test="$entries">
      <h3><xsl:value-of select="$title"/></h3>
      <dl><xsl:apply-templates select="$entries" mode="entity"/></dl>
    </xsl:if>
  </xsl:template>

  <xsl:template match="*" mode="entity">
    <xsl:variable name="names" select="tei:persName | tei:placeName | tei:orgName | tei:geogName
        | tei:name"/>
    <xsl:variable name="kind">
      <xsl:choose>
        <xsl:when test="self::tei:place">place</xsl:when>
        <xsl:when test="self::tei:org">org</xsl:when>
        <xsl:otherwise>person</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <dt id="{@xml:id}" class="entity {$kind}">
      <xsl:choose>
        <xsl:when test="$names[@type = 'preferred']">
          <xsl:apply-templates select="$names[@type = 'preferred'][1]" mode="plain"/>
        </xsl:when>
        <xsl:when test="$names">
          <xsl:apply-templates select="$names[1]" mode="plain"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="@xml:id"/></xsl:otherwise>
      </xsl:choose>
    </dt>
    <dd>
      <xsl:if test="tei:birth/@when or tei:death/@when">
        <span class="lifespan">
          <xsl:value-of select="concat(tei:birth/@when, '–', tei:death/@when)"/>
        </span>
      </xsl:if>
      <xsl:for-each select="tei:note">
        <xsl:text> </xsl:text>
        <xsl:apply-templates mode="plain"/>
      </xsl:for-each>
      <xsl:for-each select="tei:idno">
        <xsl:text> </xsl:text>
        <xsl:variable name="url">
          <xsl:choose>
            <xsl:when test="@type = 'wikidata'">
              <xsl:value-of select="concat('https://www.wikidata.org/wiki/', normalize-space())"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="safe-url"><xsl:with-param name="url" select="."/></xsl:call-template>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:variable name="label">
          <xsl:choose>
            <xsl:when test="@type = 'wikidata'">Wikidata <xsl:value-of select="normalize-space()"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="normalize-space(concat(@type, ' ', .))"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:choose>
          <xsl:when test="$url != '' and contains($url, ':')"><a class="idno" href="{$url}"><xsl:value-of select="$label"/></a></xsl:when>
          <xsl:otherwise><span class="idno"><xsl:value-of select="$label"/></span></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </dd>
  </xsl:template>

  <!-- A normalised date value fit for <time datetime>. -->
  <xsl:template name="iso-value">
    <xsl:param name="v"/>
    <xsl:if test="$v != '' and translate($v, '0123456789-:TZ+.', '') = ''">
      <xsl:value-of select="$v"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:date | tei:time">
    <xsl:variable name="when">
      <xsl:call-template name="iso-value"><xsl:with-param name="v" select="@when"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="range">
      <xsl:choose>
        <xsl:when test="@from or @to">
          <xsl:value-of select="concat('from ', @from, ' to ', @to)"/>
        </xsl:when>
        <xsl:when test="@notBefore or @notAfter">
          <xsl:value-of select="concat('not before ', @notBefore, ', not after ', @notAfter)"/>
        </xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$when != ''">
        <time datetime="{$when}"><xsl:call-template name="attrs">
          <xsl:with-param name="class" select="'date'"/></xsl:call-template>
          <xsl:apply-templates/></time>
      </xsl:when>
      <xsl:otherwise>
        <span><xsl:call-template name="attrs"><xsl:with-param name="class" select="'date'"/></xsl:call-template>
          <xsl:if test="$range != ''">
            <xsl:attribute name="title"><xsl:value-of select="normalize-space($range)"/></xsl:attribute>
          </xsl:if>
          <xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Archival references and other citations. -->
  <xsl:template match="tei:bibl | tei:biblStruct | tei:msIdentifier">
    <xsl:variable name="blocky"><xsl:call-template name="blocky"/></xsl:variable>
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="$blocky != ''">p</xsl:when>
        <xsl:otherwise>cite</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$name}">
      <xsl:call-template name="attrs"/>
      <xsl:if test="@type = 'archival'">
        <xsl:attribute name="title">Archival reference</xsl:attribute>
      </xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:idno | tei:citedRange | tei:biblScope | tei:author | tei:editor
                       | tei:publisher | tei:pubPlace | tei:repository | tei:collection
                       | tei:institution">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:if test="@type or @unit">
        <xsl:attribute name="title"><xsl:value-of select="normalize-space(concat(@type, ' ', @unit))"/></xsl:attribute>
      </xsl:if>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="tei:bibl | tei:biblStruct" mode="txt">
    <xsl:variable name="blocky"><xsl:call-template name="blocky"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="$blocky != ''"><p><xsl:apply-templates mode="txt"/></p></xsl:when>
      <xsl:otherwise><xsl:apply-templates mode="txt"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
