<?xml version="1.0" encoding="UTF-8"?>
<!--
  dictionaries.xsl: dictionary entries (Guidelines ch. 9).  An entry is one
  block; its parts follow each other as in a printed dictionary:

    shtab /ʃtab/ noun, masculine 1. headquarters ... ‘the General Staff’ 2. (navy) ...
    [From German Stab.]

  Entries are usually encoded element by element with no text between the
  parts, so a part that follows another part directly is set off by a space
  (by ", " inside gramGrp, whose white space is not significant).  Text the
  encoder did write between parts is kept as it stands.  The decorations
  (slashes around a pronunciation, brackets around usage and etymology,
  sense numbers from @n) are added text, as in the TEI Stylesheets.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <!-- The children of the context element, with the separator before a
       part that follows another part directly.  $tight: white-space-only
       text between parts is not significant (dropped, and the separator
       still goes in).  $txt: the children in mode txt. -->
  <xsl:template name="dict-parts">
    <xsl:param name="sep" select="' '"/>
    <xsl:param name="tight" select="false()"/>
    <xsl:param name="txt" select="false()"/>
    <xsl:for-each select="node()">
      <xsl:if test="not($tight and self::text() and normalize-space() = '')">
        <xsl:if test="self::* and preceding-sibling::node()[not($tight and self::text()
                      and normalize-space() = '')][1][self::*]">
          <xsl:value-of select="$sep"/>
        </xsl:if>
        <xsl:choose>
          <xsl:when test="$txt"><xsl:apply-templates select="." mode="txt"/></xsl:when>
          <xsl:otherwise><xsl:apply-templates select="."/></xsl:otherwise>
        </xsl:choose>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- ================= HTML ================= -->

  <xsl:template match="tei:entry | tei:entryFree | tei:superEntry">
    <div>
      <xsl:call-template name="attrs"/>
      <xsl:call-template name="dict-parts"/>
      <xsl:call-template name="para-link"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:form | tei:sense | tei:re | tei:hom | tei:xr | tei:def | tei:dictScrap">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:if test="self::tei:sense and @n">
        <span class="sense-number"><xsl:value-of select="concat(@n, '.')"/></span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:call-template name="dict-parts"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:gramGrp">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:call-template name="dict-parts">
        <xsl:with-param name="sep" select="', '"/>
        <xsl:with-param name="tight" select="true()"/>
      </xsl:call-template>
    </span>
  </xsl:template>

  <xsl:template match="tei:orth | tei:pos | tei:gen | tei:number | tei:case | tei:per
                       | tei:tns | tei:mood | tei:iType | tei:gram | tei:subc | tei:colloc
                       | tei:lbl | tei:stress | tei:syll | tei:hyph">
    <span><xsl:call-template name="attrs"/><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:pron">
    <span><xsl:call-template name="attrs"/>/<xsl:apply-templates/>/</span>
  </xsl:template>

  <xsl:template match="tei:usg">
    <span><xsl:call-template name="attrs"/>(<xsl:apply-templates/>)</span>
  </xsl:template>

  <xsl:template match="tei:etym">
    <span><xsl:call-template name="attrs"/>[<xsl:apply-templates/>]</span>
  </xsl:template>

  <!-- Examples and their translations: parts set off like the others; a
       translation in quotation marks. -->
  <xsl:template match="tei:cit[ancestor::tei:entry or ancestor::tei:entryFree
                       or ancestor::tei:superEntry]">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:if test="@type = 'translation'">‘</xsl:if>
      <xsl:call-template name="dict-parts"/>
      <xsl:if test="@type = 'translation'">’</xsl:if>
    </span>
  </xsl:template>

  <!-- ================= plain text ================= -->

  <xsl:template match="tei:entry | tei:entryFree | tei:superEntry" mode="txt">
    <p><xsl:call-template name="dict-parts"><xsl:with-param name="txt" select="true()"/></xsl:call-template></p>
  </xsl:template>

  <xsl:template match="tei:form | tei:sense | tei:re | tei:hom | tei:xr | tei:def | tei:dictScrap"
      mode="txt">
    <xsl:if test="self::tei:sense and @n"><xsl:value-of select="concat(@n, '. ')"/></xsl:if>
    <xsl:call-template name="dict-parts"><xsl:with-param name="txt" select="true()"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:gramGrp" mode="txt">
    <xsl:call-template name="dict-parts">
      <xsl:with-param name="txt" select="true()"/>
      <xsl:with-param name="sep" select="', '"/>
      <xsl:with-param name="tight" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:pron" mode="txt">/<xsl:apply-templates mode="txt"/>/</xsl:template>
  <xsl:template match="tei:usg" mode="txt">(<xsl:apply-templates mode="txt"/>)</xsl:template>
  <xsl:template match="tei:etym" mode="txt">[<xsl:apply-templates mode="txt"/>]</xsl:template>

  <xsl:template match="tei:cit[ancestor::tei:entry or ancestor::tei:entryFree
                       or ancestor::tei:superEntry]" mode="txt">
    <xsl:if test="@type = 'translation'">‘</xsl:if>
    <xsl:call-template name="dict-parts"><xsl:with-param name="txt" select="true()"/></xsl:call-template>
    <xsl:if test="@type = 'translation'">’</xsl:if>
  </xsl:template>

</xsl:stylesheet>
