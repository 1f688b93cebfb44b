<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="50" />
        <source>Pipes (LineStringZ, z = centreline; not needed with MAP)</source>
        <translation>管线（三维线，z 为管线中心高程；给定 MAP 时不需要）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="53" />
        <source>Integrated map (GeoPackage; its pipe_segment layer replaces INPUT)</source>
        <translation>管线综合图（GeoPackage；以其 pipe_segment 图层代替 INPUT）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="56" />
        <source>Pipe id field</source>
        <translation>管线编号字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="56" />
        <source>Rule class field</source>
        <translation>规则类别字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="57" />
        <source>Outer diameter field (mm)</source>
        <translation>外径字段（mm）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="58" />
        <source>Box width field (mm)</source>
        <translation>方沟宽度字段（mm）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="59" />
        <source>Box height field (mm)</source>
        <translation>方沟高度字段（mm）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="80" />
        <source>MAP is given: its pipe_segment layer is checked and INPUT is ignored.</source>
        <translation>已给定 MAP：检查其 pipe_segment 图层，忽略 INPUT。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="88" />
        <source>Give the pipes: an INPUT line layer or an integrated MAP.</source>
        <translation>请给定管线：INPUT 线图层或管线综合图 MAP。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="90" />
        <source>INPUT must be a line layer.</source>
        <translation>INPUT 必须是线图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="93" />
        <source>INPUT has no coordinate reference system.</source>
        <translation>INPUT 没有坐标参考系。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="96" />
        <source>INPUT has no z values (a 2D layer): every vertical, cover and excavation figure is UNKNOWN.</source>
        <translation>INPUT 没有 z 值（二维图层）：所有垂直净距、覆土和开挖结果均为 UNKNOWN（未知）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="103" />
        <source>The field {name} ({param}) is not in INPUT.</source>
        <translation>INPUT 中没有字段 {name}（{param}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="152" />
        <source>The ground DEM is in {a} but the pipes are in {b}: reproject one of them first.</source>
        <translation>地面 DEM 的坐标系为 {a}，而管线为 {b}：请先将其中之一重投影。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="164" />
        <source>{name} must be a polygon layer.</source>
        <translation>{name} 必须是面图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="193" />
        <source>Could not create the output layer.</source>
        <translation>无法创建输出图层。</translation>
    </message>
</context>
<context>
    <name>Build3DAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="61" />
        <source>Build true-size 3D pipes</source>
        <translation>生成真实尺寸三维管线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="64" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="67" />
        <source>Facets around a circular pipe</source>
        <translation>圆管断面的边数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="70" />
        <source>3D pipes</source>
        <translation>三维管线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="72" />
        <source>3D wells</source>
        <translation>三维窨井</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="75" />
        <source>Pipes built</source>
        <translation>已生成管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="76" />
        <source>Wells built</source>
        <translation>已生成窨井数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="110" />
        <source>Segment {id} has no usable geometry; no 3D pipe built.</source>
        <translation>管线段 {id} 没有可用的几何图形，未生成三维管线。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="140" />
        <source>Built {pipes} 3D pipes and {wells} wells.</source>
        <translation>已生成 {pipes} 条三维管线和 {wells} 个窨井。</translation>
    </message>
</context>
<context>
    <name>ClashCheckAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="35" />
        <source>Clearance (clash) check</source>
        <translation>净距（碰撞）检查</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="40" />
        <source>Clearance rules (CSV: class_a,class_b,min_horizontal_m,min_vertical_m)</source>
        <translation>净距规则（CSV：class_a,class_b,min_horizontal_m,min_vertical_m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="43" />
        <source>Strict rules (unverified rule cells give errors)</source>
        <translation>严格规则（未核实的规则值也判为错误）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="45" />
        <source>Clash findings</source>
        <translation>碰撞检查结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="47" />
        <source>Failing figures</source>
        <translation>不合格项数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="47" />
        <source>Uncertain figures</source>
        <translation>待定项数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="47" />
        <source>Unknown figures</source>
        <translation>未知项数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="47" />
        <source>Pairs without a rule</source>
        <translation>无规则的管线对数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="65" />
        <source>{n} pipes checked: {fail} FAIL, {unc} UNCERTAIN, {unk} UNKNOWN, {nr} without a rule.</source>
        <translation>已检查 {n} 条管线：{fail} 项不合格（FAIL），{unc} 项待定（UNCERTAIN），{unk} 项未知（UNKNOWN），{nr} 项无规则。</translation>
    </message>
</context>
<context>
    <name>CoverCheckAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="44" />
        <source>Cover depth check</source>
        <translation>覆土深度检查</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="48" />
        <source>Ground DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="49" />
        <source>Ground point cloud (LAS/LAZ, ground class 2)</source>
        <translation>地面点云（LAS/LAZ，地面类 2）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="52" />
        <source>Carriageways (motor-lane cover inside)</source>
        <translation>机动车道（其范围内按机动车道覆土要求）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="55" />
        <source>Cover rules (CSV: class,min_cover_non_motor_m,min_cover_motor_m)</source>
        <translation>覆土规则（CSV：class,min_cover_non_motor_m,min_cover_motor_m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="58" />
        <source>Sampling step (m)</source>
        <translation>采样步长（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="61" />
        <source>Strict rules (unverified rule cells give errors)</source>
        <translation>严格规则（未核实的规则值也判为错误）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="63" />
        <source>Cover findings</source>
        <translation>覆土检查结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="65" />
        <source>Failing pipes</source>
        <translation>不合格管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="65" />
        <source>Uncertain pipes</source>
        <translation>待定管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="65" />
        <source>Unknown pipes</source>
        <translation>未知管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="65" />
        <source>Pipes without a rule</source>
        <translation>无规则的管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="87" />
        <source>Give the ground surface: a DEM (GROUND) or a LAS/LAZ point cloud (GROUND_POINTS).</source>
        <translation>请给定地面：DEM（GROUND）或 LAS/LAZ 点云（GROUND_POINTS）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="104" />
        <source>{n} pipes checked: {fail} FAIL, {unc} UNCERTAIN, {unk} UNKNOWN.</source>
        <translation>已检查 {n} 条管线：{fail} 条不合格（FAIL），{unc} 条待定（UNCERTAIN），{unk} 条未知（UNKNOWN）。</translation>
    </message>
</context>
<context>
    <name>CreateMapAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="42" />
        <source>Create integrated map</source>
        <translation>创建管线综合图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="45" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="45" />
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="50" />
        <source>Coordinate reference system</source>
        <translation>坐标参考系</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="53" />
        <source>Overwrite an existing file</source>
        <translation>覆盖已有文件</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="56" />
        <source>Height datum</source>
        <translation>高程基准</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="61" />
        <source>Schema version</source>
        <translation>数据模型版本</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="66" />
        <source>No output file was given for the integrated map.</source>
        <translation>未指定管线综合图的输出文件。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="69" />
        <source>The coordinate reference system {crs} is not valid.</source>
        <translation>坐标参考系 {crs} 无效。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="78" />
        <source>Created {path} ({crs}, schema version {version}).</source>
        <translation>已创建 {path}（{crs}，数据模型版本 {version}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="84" />
        <source>The map's CRS is geographic; clearance and cover checks need a projected CRS in metres.</source>
        <translation>该图的坐标参考系为地理坐标系；净距和覆土检查需要以米为单位的投影坐标系。</translation>
    </message>
</context>
<context>
    <name>ExcavationCheckAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="54" />
        <source>Excavation check (pipes affected)</source>
        <translation>开挖影响检查（受影响管线）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="58" />
        <source>Planned excavations</source>
        <translation>拟开挖范围</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="60" />
        <source>Excavation id field</source>
        <translation>开挖编号字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="60" />
        <source>Bottom elevation field (m)</source>
        <translation>坑底高程字段（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="60" />
        <source>Depth below ground field (m, needs GROUND)</source>
        <translation>开挖深度字段（m，需要 GROUND）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="67" />
        <source>Ground DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="68" />
        <source>Safety distance (m)</source>
        <translation>安全距离（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="71" />
        <source>Affected pipes</source>
        <translation>受影响管线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="73" />
        <source>Pipes reached</source>
        <translation>被触及的管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="73" />
        <source>Uncertain pipes</source>
        <translation>待定管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="73" />
        <source>Unknown pipes</source>
        <translation>未知管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="82" />
        <source>Give the planned excavations (EXCAVATIONS).</source>
        <translation>请给定拟开挖范围（EXCAVATIONS）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="88" />
        <source>The field {name} ({param}) is not in EXCAVATIONS.</source>
        <translation>EXCAVATIONS 中没有字段 {name}（{param}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="91" />
        <source>Give the excavation bottom: BOTTOM_FIELD (elevation) or DEPTH_FIELD (depth below ground, with GROUND).</source>
        <translation>请给定坑底：BOTTOM_FIELD（高程）或 DEPTH_FIELD（开挖深度，需同时给定 GROUND）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="108" />
        <source>{n} excavations checked: {rows} pipes listed ({fail} reached).</source>
        <translation>已检查 {n} 处开挖：列出 {rows} 条管线（其中 {fail} 条被触及）。</translation>
    </message>
</context>
<context>
    <name>GprImportAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="137" />
        <source>Import GPR survey</source>
        <translation>导入探地雷达测线数据</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="141" />
        <source>Processing: a preset (none, default, strong) or a step list</source>
        <translation>处理流程：预设（none、default、strong）或处理步骤列表</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="143" />
        <source>Velocity for the depth axis (m/ns, 0 = no depth axis)</source>
        <translation>深度轴所用速度（m/ns，0 = 不显示深度轴）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="146" />
        <source>Integrated map to record the survey in</source>
        <translation>记录本次探测的管线综合图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="149" />
        <source>Survey line</source>
        <translation>测线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="151" />
        <source>Radargram image (PNG)</source>
        <translation>雷达剖面图（PNG）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="151" />
        <source>PNG (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="153" />
        <source>Processed data (SEG-Y)</source>
        <translation>处理后数据（SEG-Y）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="153" />
        <source>SEG-Y (*.sgy *.segy)</source>
        <translation>SEG-Y 文件 (*.sgy *.segy)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="156" />
        <source>Traces</source>
        <translation>道数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="157" />
        <source>Channels</source>
        <translation>通道数</translation>
    </message>
</context>
<context>
    <name>GprParametersMixin</name>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="65" />
        <source>GPR file (DZT, DT1/HD, RD3/RD7/RAD, SEG-Y)</source>
        <translation>探地雷达文件（DZT、DT1/HD、RD3/RD7/RAD、SEG-Y）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="67" />
        <source>Survey line (when the file has no GPS)</source>
        <translation>测线（文件无 GPS 定位时使用）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="70" />
        <source>Distance of the first trace along the line (m)</source>
        <translation>第一道沿测线的距离（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="73" />
        <source>Trace spacing (m) — same as TRACE_SPACING_M</source>
        <translation>道间距（m）— 与 TRACE_SPACING_M 相同</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="78" />
        <source>Sample interval override (ns, 0 = from the file)</source>
        <translation>指定采样间隔（ns，0 = 取自文件）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="81" />
        <source>Trace spacing override (m, 0 = from the file)</source>
        <translation>指定道间距（m，0 = 取自文件）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="84" />
        <source>Output CRS (default: the map's, the line's, or the GPS's UTM zone)</source>
        <translation>输出坐标参考系（默认：综合图的、测线的，或 GPS 定位所在的 UTM 投影带）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="93" />
        <source>SPACING and TRACE_SPACING_M are the same parameter; they differ.</source>
        <translation>SPACING 与 TRACE_SPACING_M 是同一参数，但两者取值不同。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="108" />
        <source>The survey line layer has no line.</source>
        <translation>测线图层中没有线要素。</translation>
    </message>
</context>
<context>
    <name>GprPickAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="56" />
        <source>Pick GPR anomalies (hyperbolas)</source>
        <translation>拾取探地雷达异常（双曲线）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="60" />
        <source>Velocity (m/ns, 0 = estimate from the hyperbolas)</source>
        <translation>速度（m/ns，0 = 由双曲线估算）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="63" />
        <source>Minimum confidence</source>
        <translation>最低置信度</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="66" />
        <source>Ground DEM (for the picks' elevations)</source>
        <translation>地面 DEM（用于计算拾取点高程）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="75" />
        <source>Picks</source>
        <translation>拾取点</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="70" />
        <source>Radargram with picks (PNG)</source>
        <translation>标注拾取点的雷达剖面图（PNG）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="70" />
        <source>PNG (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="72" />
        <source>Picks as LAS/LAZ</source>
        <translation>拾取点（LAS/LAZ）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="72" />
        <source>LAS/LAZ (*.las *.laz)</source>
        <translation>LAS/LAZ 点云 (*.las *.laz)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="115" />
        <source>{survey}: {n} picks.</source>
        <translation>{survey}：{n} 个拾取点。</translation>
    </message>
</context>
<context>
    <name>GprReconcileAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="53" />
        <source>Reconcile GPR picks with the map</source>
        <translation>核对探地雷达拾取点与综合图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="56" />
        <source>Picks (from gprpick)</source>
        <translation>拾取点（由 gprpick 生成）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="58" />
        <source>Survey line (from gprimport, or drawn)</source>
        <translation>测线（由 gprimport 生成或手工绘制）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="60" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="63" />
        <source>Ground DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="64" />
        <source>Discrepancies</source>
        <translation>不符项</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="66" />
        <source>Reconciliation report (HTML)</source>
        <translation>核对报告（HTML）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="66" />
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="68" />
        <source>Confirmed</source>
        <translation>已核实</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="68" />
        <source>Depth mismatches</source>
        <translation>埋深不符</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="68" />
        <source>Not detected</source>
        <translation>未探测到</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="68" />
        <source>Unmapped anomalies</source>
        <translation>未入图异常</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="88" />
        <source>The survey line layer has no georeferenced line.</source>
        <translation>测线图层中没有已地理配准的测线。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="109" />
        <source>The DEM must be in the map's CRS.</source>
        <translation>DEM 必须采用综合图的坐标参考系。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="125" />
        <source>{crossings} mapped pipes crossed; {confirmed} confirmed, {mismatch} depth mismatches, {missing} not detected, {unmapped} unmapped anomalies.</source>
        <translation>测线穿越综合图中 {crossings} 条管线：{confirmed} 条已核实，{mismatch} 条埋深不符，{missing} 条未探测到；另有 {unmapped} 个未入图异常。</translation>
    </message>
</context>
<context>
    <name>ImportSurveyAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="75" />
        <source>Import survey result tables</source>
        <translation>导入探测成果表</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="78" />
        <source>Point table, or a folder of per-category tables</source>
        <translation>管线点成果表，或按管线类别分表存放的文件夹</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="81" />
        <source>Segment table (or the folder of tables)</source>
        <translation>管线段成果表（或成果表所在文件夹）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="84" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="87" />
        <source>Column profile: zh, en, or a JSON/YAML file</source>
        <translation>列名配置：zh、en 或 JSON/YAML 文件</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="89" />
        <source>CRS of the tables (empty: the map's, or the zone of prefixed eastings)</source>
        <translation>成果表的坐标参考系（留空：采用综合图的坐标参考系，或按东坐标的带号前缀确定投影带）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="92" />
        <source>Mode</source>
        <translation>导入模式</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="92" />
        <source>All or nothing</source>
        <translation>全部无误才导入</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="92" />
        <source>Import valid rows</source>
        <translation>仅导入有效行</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="94" />
        <source>Text encoding of CSV tables (empty: detect)</source>
        <translation>CSV 表格的文本编码（留空：自动检测）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="96" />
        <source>Import problems</source>
        <translation>导入问题</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="99" />
        <source>Import report (HTML)</source>
        <translation>导入报告（HTML）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="99" />
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="102" />
        <source>Points written</source>
        <translation>已写入管线点数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="102" />
        <source>Segments written</source>
        <translation>已写入管线段数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="102" />
        <source>Errors</source>
        <translation>错误数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="102" />
        <source>Warnings</source>
        <translation>警告数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="106" />
        <source>Map changed</source>
        <translation>综合图已更改</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="150" />
        <source>… and {n} more problems (see the problems layer or report).</source>
        <translation>……另有 {n} 个问题（见导入问题图层或导入报告）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="153" />
        <source>Imported {p} points and {s} segments into {map}.</source>
        <translation>已将 {p} 个管线点和 {s} 条管线段导入 {map}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="156" />
        <source>{n} error(s): nothing was imported and the map was left unchanged.</source>
        <translation>{n} 个错误：未导入任何数据，综合图未作改动。</translation>
    </message>
</context>
<context>
    <name>PipeMapAlgorithm</name>
    <message>
        <location filename="../processing/base.py" line="113" />
        <source>Integrated map</source>
        <translation>管线综合图</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="114" />
        <source>Ground-penetrating radar</source>
        <translation>探地雷达</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="115" />
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="116" />
        <source>Data sharing</source>
        <translation>数据共享</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="117" />
        <source>Network</source>
        <translation>管网</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="79" />
        <source>Could not write {what}: {error}</source>
        <translation>无法写入 {what}：{error}</translation>
    </message>
</context>
<context>
    <name>PipeMapErrors</name>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cancelled by the user; nothing was written.</source>
        <translation>用户已取消，未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No coordinate reference system was given.</source>
        <translation>未指定坐标参考系。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The coordinate reference system {crs!r} is neither projected, geographic nor a local grid.</source>
        <translation>坐标参考系 {crs!r} 既不是投影坐标系、地理坐标系，也不是独立坐标系。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write {path}: the folder {folder} does not exist.</source>
        <translation>无法写入 {path}：文件夹 {folder} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write in the folder {folder}: {reason}</source>
        <translation>无法在文件夹 {folder} 中写入：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The coordinate reference system {crs!r} is not valid: {reason}</source>
        <translation>坐标参考系 {crs!r} 无效：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not create the table {name}.</source>
        <translation>无法创建数据表 {name}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} must be a GeoPackage file ending in .gpkg.</source>
        <translation>综合图 {path} 必须是扩展名为 .gpkg 的 GeoPackage 文件。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The file {path} already exists; it was left untouched. Choose another name or allow overwriting.</source>
        <translation>文件 {path} 已存在，未作改动。请换一个文件名，或允许覆盖。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a file; it was left untouched.</source>
        <translation>{path} 不是文件，未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The file {path} is read-only; it was left untouched.</source>
        <translation>文件 {path} 为只读，未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} does not exist.</source>
        <translation>综合图 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} has schema version {found}; this PipeMap understands up to {known}. Update PipeMap to open it.</source>
        <translation>综合图 {path} 的数据模型版本为 {found}，本版 PipeMap 最高支持 {known}。请升级 PipeMap 后再打开。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not add the code list {name}.</source>
        <translation>无法添加代码表 {name}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write the map {path}: {reason}</source>
        <translation>无法写入综合图 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a GeoPackage (not an SQLite file).</source>
        <translation>{path} 不是 GeoPackage（不是 SQLite 文件）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a PipeMap integrated map (no pipemap_metadata table).</source>
        <translation>{path} 不是 PipeMap 管线综合图（缺少 pipemap_metadata 表）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No upgrade path from schema version {version} for {path}.</source>
        <translation>{path} 无法从数据模型版本 {version} 升级。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a GPR file PipeMap reads (GSSI DZT, Sensors &amp; Software DT1, MALA RD3/RD7, SEG-Y).</source>
        <translation>{path} 不是 PipeMap 可读取的探地雷达文件（GSSI DZT、Sensors &amp; Software DT1、MALA RD3/RD7、SEG-Y）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The GPR file {path} does not exist.</source>
        <translation>探地雷达文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown GPR format {fmt!r}.</source>
        <translation>未知的探地雷达数据格式 {fmt!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not an integrated map (no pipe_segment layer).</source>
        <translation>{path} 不是管线综合图（缺少 pipe_segment 图层）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not an integrated map (no pipe_point layer).</source>
        <translation>{path} 不是管线综合图（缺少 pipe_point 图层）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} cannot be opened as a GeoPackage: {reason}</source>
        <translation>无法将 {path} 作为 GeoPackage 打开：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} needs at least two vertices with x, y and z (an array of shape (n, 3)); got shape {shape}.</source>
        <translation>管线段 {pipe_id} 至少需要两个含 x、y、z 的顶点（形状为 (n, 3) 的数组），实际形状为 {shape}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} has a missing or infinite coordinate (is its centreline elevation unknown?).</source>
        <translation>管线段 {pipe_id} 有缺失或无穷大的坐标（是否缺少管线中心高程？）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} has {field} = {value!r}; a positive size in metres is required.</source>
        <translation>管线段 {pipe_id} 的 {field} = {value!r}；尺寸须为正数，单位为米。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The ground sampling step must be a positive number of metres; got {step!r}.</source>
        <translation>地面采样间距须为正数（单位：米），实际为 {step!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>A ground step of {step} m over {length:.1f} m needs {count} samples (at most {limit}); use a larger step.</source>
        <translation>在 {length:.1f} m 长度上按 {step} m 间距采样地面需要 {count} 个采样点（上限 {limit} 个）；请增大采样间距。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>A longitudinal profile needs at least one pipe segment; the run is empty.</source>
        <translation>纵断面图至少需要一条管线段；所选连通管段为空。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The run {ids} has no horizontal length; a profile cannot be drawn.</source>
        <translation>连通管段 {ids} 的水平长度为零，无法绘制纵断面图。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{name} has {got} values but the run has {n} nodes (one more than its segments).</source>
        <translation>{name} 有 {got} 个值，但连通管段有 {n} 个节点（比管线段数多一个）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The section line needs at least two vertices (an array of shape (k, 2)); got shape {shape}.</source>
        <translation>断面线至少需要两个顶点（形状为 (k, 2) 的数组），实际形状为 {shape}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The section line has a missing or infinite coordinate.</source>
        <translation>断面线有缺失或无穷大的坐标。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The section line has no length: all its vertices are the same point.</source>
        <translation>断面线长度为零：其所有顶点为同一点。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>ground_points must be three arrays of the same length; got {a}, {b} and {c} values.</source>
        <translation>ground_points 必须是三个长度相同的数组，实际分别有 {a}、{b}、{c} 个值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>ground_points holds no point with a finite x, y and z.</source>
        <translation>ground_points 中没有 x、y、z 均为有限值的点。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No drawing format was given; choose from {known}.</source>
        <translation>未指定图件格式；可选格式：{known}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The drawing path {path!r} has no file name.</source>
        <translation>图件路径 {path!r} 缺少文件名。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} has the unknown category {category!r}; expected one of {known}.</source>
        <translation>管线段 {pipe_id} 的管线类别 {category!r} 未知；应为 {known} 之一。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} has the unknown section shape {shape!r}; expected 'circular' or 'box'.</source>
        <translation>管线段 {pipe_id} 的断面形状 {shape!r} 未知；应为 'circular'（圆形）或 'box'（矩形）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} is circular but its width {width_m} m differs from its height {height_m} m; give the outer diameter as both.</source>
        <translation>管线段 {pipe_id} 为圆形断面，但其宽度 {width_m} m 与高度 {height_m} m 不一致；请将两者都设为外径。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} has vertices that are not numbers.</source>
        <translation>管线段 {pipe_id} 的顶点坐标含有非数值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The ground sampler returned {got} values for {n} points; it must return one elevation per point.</source>
        <translation>地面采样器对 {n} 个点返回了 {got} 个值；每个点必须返回一个高程值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The run must hold pipe records; got {what}.</source>
        <translation>连通管段必须由管线记录组成，实际为 {what}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {first} ends {gap:.3f} m from where pipe {second} starts; a run must be ordered and each segment must start where the previous one ends (within {tol} m).{hint}</source>
        <translation>管线段 {first} 的终点与管线段 {second} 的起点相距 {gap:.3f} m；连通管段必须按顺序排列，且每条管线段的起点须与前一条的终点重合（容差 {tol} m）。{hint}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{name} holds a value that is not valid: {values!r}.</source>
        <translation>{name} 含有无效值：{values!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The pipes must be pipe records; got {what}.</source>
        <translation>管线必须为管线记录，实际为 {what}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The section line has vertices that are not numbers.</source>
        <translation>断面线的顶点坐标含有非数值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>ground_points must be three arrays (x, y, z) of numbers.</source>
        <translation>ground_points 必须是三个数值数组（x、y、z）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown drawing format {fmt!r}; choose from {known}.</source>
        <translation>未知的图件格式 {fmt!r}；可选格式：{known}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write the drawing {path}: {reason}</source>
        <translation>无法写入图件 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} has an inner height of {inner} m, larger than its outer height {height} m.</source>
        <translation>管线段 {pipe_id} 的内高 {inner} m 大于其外高 {height} m。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The section line needs at least two vertices.</source>
        <translation>断面线至少需要两个顶点。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DEM {path} does not exist.</source>
        <translation>DEM {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DEM {path} cannot be opened: {reason}</source>
        <translation>无法打开 DEM {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DEM {path} has no band {band}.</source>
        <translation>DEM {path} 没有第 {band} 波段。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DEM {path} is rotated; warp it to a north-up grid first.</source>
        <translation>DEM {path} 为旋转栅格；请先将其重采样为正北朝上的格网。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No connected run of segments from {a} to {b}.</source>
        <translation>从 {a} 到 {b} 没有连通的管线段。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Point {point} is not the end of any segment{cat}.</source>
        <translation>管线点 {point} 不是任何管线段的端点{cat}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write the DEM {path}.</source>
        <translation>无法写入 DEM {path}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Give a point table, a segment table, or a folder of tables.</source>
        <translation>请指定管线点成果表、管线段成果表或成果表所在文件夹。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown import mode {mode!r}: use all_or_nothing or valid_rows.</source>
        <translation>未知的导入模式 {mode!r}：请使用 all_or_nothing 或 valid_rows。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} is read-only; nothing was imported.</source>
        <translation>综合图 {path} 为只读，未导入任何数据。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No rows to import in {files}.</source>
        <translation>{files} 中没有可导入的数据行。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} does not exist.</source>
        <translation>{path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The folder {path} holds no CSV or Excel tables.</source>
        <translation>文件夹 {path} 中没有 CSV 或 Excel 表格。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write into the map {path}: {reason}; the map is unchanged.</source>
        <translation>无法写入综合图 {path}：{reason}；综合图未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot tell whether {path} is a point or a segment table: name it like JSPoint.csv / JSLine.csv.</source>
        <translation>无法判断 {path} 是管线点表还是管线段表：请参照 JSPoint.csv / JSLine.csv 命名。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Two point tables for the same category: {a} and {b}.</source>
        <translation>同一管线类别有两个管线点表：{a} 和 {b}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Two segment tables for the same category: {a} and {b}.</source>
        <translation>同一管线类别有两个管线段表：{a} 和 {b}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not an integrated map (no pipe_point/pipe_segment layer).</source>
        <translation>{path} 不是管线综合图（缺少 pipe_point/pipe_segment 图层）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown import profile {name!r}: use 'zh', 'en' or a JSON/YAML file.</source>
        <translation>未知的导入配置 {name!r}：请使用 'zh'、'en' 或 JSON/YAML 文件。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path} does not exist (built-in profiles: zh, en).</source>
        <translation>导入配置 {path} 不存在（内置配置：zh、en）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path} must be a mapping of settings.</source>
        <translation>导入配置 {path} 必须是设置项的键值映射。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path} is not valid {kind}: {reason}</source>
        <translation>导入配置 {path} 不是有效的 {kind}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path}: '{section}' must map fields to header lists.</source>
        <translation>导入配置 {path}：'{section}' 必须将字段映射到表头名列表。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path}: xy_order must be northing_easting or easting_northing.</source>
        <translation>导入配置 {path}：xy_order 必须为 northing_easting 或 easting_northing。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path} names an unknown {section} field {field!r}.</source>
        <translation>导入配置 {path} 中含有未知的 {section} 字段 {field!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path}: field {field!r} needs a list of headers.</source>
        <translation>导入配置 {path}：字段 {field!r} 需要一个表头名列表。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path}: {key} must be a number.</source>
        <translation>导入配置 {path}：{key} 必须为数值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} does not exist.</source>
        <translation>表格 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} is empty.</source>
        <translation>表格 {path} 为空。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} is {size} bytes, more than the {limit} bytes PipeMap reads.</source>
        <translation>表格 {path} 大小为 {size} 字节，超过 PipeMap 可读取的上限 {limit} 字节。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} is not a text table (it contains binary data).</source>
        <translation>表格 {path} 不是文本表格（含有二进制数据）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} is neither UTF-8 nor GBK/GB18030 text; give its encoding.</source>
        <translation>表格 {path} 既不是 UTF-8 也不是 GBK/GB18030 编码的文本；请指定其编码。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} has no header row.</source>
        <translation>表格 {path} 没有表头行。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The spreadsheet {path} cannot be opened.</source>
        <translation>无法打开电子表格 {path}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown text encoding {encoding!r}.</source>
        <translation>未知的文本编码 {encoding!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} cannot be read as {encoding}: bad bytes on line {line}.</source>
        <translation>无法按 {encoding} 编码读取表格 {path}：第 {line} 行含有无效字节。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} is not valid CSV near line {line}: {reason}</source>
        <translation>表格 {path} 第 {line} 行附近不是有效的 CSV：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The spreadsheet {path} has no sheet with data.</source>
        <translation>电子表格 {path} 中没有含数据的工作表。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The spreadsheet {path} cannot be opened: {reason}</source>
        <translation>无法打开电子表格 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The spreadsheet {path} has no sheet named {sheet!r}.</source>
        <translation>电子表格 {path} 中没有名为 {sheet!r} 的工作表。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The layer must hold polygons; {n} features are not (e.g. {ids}).</source>
        <translation>图层必须为面图层；有 {n} 个要素不是面（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sampling step must be more than 0 m (got {step}).</source>
        <translation>采样间距必须大于 0 m（实际为 {step}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} polygons have no geometry and are ignored (e.g. {ids}).</source>
        <translation>{n} 个面要素没有几何图形，已忽略（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No ground surface was given: every cover figure is UNKNOWN.</source>
        <translation>未指定地面：所有覆土数值均为 UNKNOWN（未知）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes lie partly or wholly outside the ground surface: their cover is UNKNOWN there (e.g. {ids}).</source>
        <translation>{n} 条管线部分或全部位于地面范围之外：该部分的覆土为 UNKNOWN（未知）（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The polygon {id} is invalid ({reason}); it was repaired with make_valid: check its outline.</source>
        <translation>面要素 {id} 无效（{reason}）；已用 make_valid 修复，请检查其轮廓。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} more polygons were invalid and repaired.</source>
        <translation>另有 {n} 个面要素无效，已修复。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{name} has {got} values for {n} excavations.</source>
        <translation>{name} 有 {got} 个值，但开挖区有 {n} 个。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The safety distance must be 0 m or more (got {s}).</source>
        <translation>安全距离必须不小于 0 m（实际为 {s}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Give the excavation bottom as an elevation or as a depth below ground.</source>
        <translation>请以高程或地面以下深度的形式给出开挖底面。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The excavations {ids} are given by depth: a ground surface (DEM, point cloud or points) is needed.</source>
        <translation>开挖区 {ids} 以深度给出：需要提供地面（DEM、点云或高程点）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The excavations {ids} have neither a bottom elevation nor a depth: their depth figures are UNKNOWN.</source>
        <translation>开挖区 {ids} 既无底面高程也无开挖深度：其深度数值为 UNKNOWN（未知）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The ground surface is in {crs_a} but the pipes are in {crs_b}: reproject one of them first.</source>
        <translation>地面采用 {crs_a}，而管线采用 {crs_b}：请先对其中之一进行重投影。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Only {n} distinct ground points were found ({source}); at least 3 are needed for a surface.</source>
        <translation>仅找到 {n} 个不重复的地面点（{source}）；构建地面至少需要 3 个点。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The point cloud {path} does not exist.</source>
        <translation>点云 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The point cloud {path} has no ground-class ({cls}) points in the area searched (it has {n} points).</source>
        <translation>点云 {path} 在搜索范围内没有地面类（{cls}）点（点云共有 {n} 个点）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>A ground surface from points needs the Python package scipy (pip install scipy).</source>
        <translation>由点构建地面需要 Python 包 scipy（pip install scipy）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The ground points ({source}) cannot be triangulated (all on one line?): {reason}</source>
        <translation>地面点（{source}）无法构建三角网（是否全部共线？）：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Reading LAS/LAZ needs the Python package laspy (pip install 'laspy[lazrs]').</source>
        <translation>读取 LAS/LAZ 需要 Python 包 laspy（pip install 'laspy[lazrs]'）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The point cloud {path} cannot be read: {reason}</source>
        <translation>无法读取点云 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes (categories {cats}) have no cover rule class in the tables: their cover is counted as no_rule.</source>
        <translation>{n} 条管线（管线类别 {cats}）在规则表中没有覆土规则类别：其覆土计为 no_rule。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{name} has {got} values for {n} pipes.</source>
        <translation>{name} 有 {got} 个值，但管线有 {n} 条。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have no cover rule class because {attrs} is missing: their cover is UNKNOWN (e.g. {ids}).</source>
        <translation>{n} 条管线因缺少 {attrs} 而没有覆土规则类别：其覆土为 UNKNOWN（未知）（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes (categories {cats}) have no horizontal rule class in the tables: their horizontal pairs are counted as no_rule.</source>
        <translation>{n} 条管线（管线类别 {cats}）在规则表中没有水平净距规则类别：其水平净距管线对计为 no_rule。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes (categories {cats}) have no vertical rule class in the tables: their vertical pairs are counted as no_rule.</source>
        <translation>{n} 条管线（管线类别 {cats}）在规则表中没有垂直净距规则类别：其垂直净距管线对计为 no_rule。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The layer's CRS {crs} is geographic (degrees); clearances and depths need metres: reproject it to a projected CRS (e.g. the CGCS2000 Gauss-Kruger zone).</source>
        <translation>图层的坐标参考系 {crs} 为地理坐标系（单位：度）；净距和埋深计算需要以米为单位：请将其重投影到投影坐标系（如 CGCS2000 高斯-克吕格投影带）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The layer's CRS {crs} is not in metres (1 unit = {units} m); reproject it first.</source>
        <translation>图层的坐标参考系 {crs} 的单位不是米（1 单位 = {units} m）；请先进行重投影。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Vertices must be an (N, 3) array of x, y, z.</source>
        <translation>顶点必须是由 x、y、z 组成的 (N, 3) 数组。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Offsets must run from 0 to the number of vertices, one more than the pipes.</source>
        <translation>偏移量必须从 0 递增到顶点数，个数比管线数多一个。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have a negative size (e.g. {ids}).</source>
        <translation>{n} 条管线的尺寸为负值（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have no horizontal rule class because {attrs} is missing: their horizontal clearances are UNKNOWN (e.g. {ids}).</source>
        <translation>{n} 条管线因缺少 {attrs} 而没有水平净距规则类别：其水平净距为 UNKNOWN（未知）（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have no vertical rule class because {attrs} is missing: their vertical clearances are UNKNOWN (e.g. {ids}).</source>
        <translation>{n} 条管线因缺少 {attrs} 而没有垂直净距规则类别：其垂直净距为 UNKNOWN（未知）（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have fewer than two vertices and are not checked (e.g. {ids}).</source>
        <translation>{n} 条管线的顶点少于两个，未作检查（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have vertices without x/y and are not checked (e.g. {ids}).</source>
        <translation>{n} 条管线有缺少 x/y 坐标的顶点，未作检查（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The pipes have no elevations (a 2D layer or z missing everywhere): every vertical, crossing-order, cover and excavation figure is UNKNOWN.</source>
        <translation>管线没有高程（二维图层或全部缺少 z 值）：所有垂直净距、交叉上下关系、覆土和开挖数值均为 UNKNOWN（未知）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have no diameter or box size: their clearances and cover are UNKNOWN (e.g. {ids}).</source>
        <translation>{n} 条管线没有管径或断面尺寸：其净距和覆土为 UNKNOWN（未知）（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have the unknown quality level {level!r}; the CJJ 61 concealed-point limits are used for them.</source>
        <translation>{n} 条管线的质量等级 {level!r} 未知；对其采用 CJJ 61 隐蔽管线点限差。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have vertices without z: their vertical, cover and excavation figures are UNKNOWN (e.g. {ids}).</source>
        <translation>{n} 条管线有缺少 z 值的顶点：其垂直净距、覆土和开挖数值为 UNKNOWN（未知）（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The rule table {path} does not exist.</source>
        <translation>规则表 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The rule table {path} is neither UTF-8 nor GBK text.</source>
        <translation>规则表 {path} 既不是 UTF-8 也不是 GBK 编码的文本。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The rule table {path} lacks the column(s) {columns} (it has: {header}).</source>
        <translation>规则表 {path} 缺少列 {columns}（现有列：{header}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Row {row} of {path}: {column} = {value!r} must be a distance of 0 m or more.</source>
        <translation>{path} 第 {row} 行：{column} = {value!r}，必须是不小于 0 m 的距离。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The clearance table {path} has no rule.</source>
        <translation>净距表 {path} 中没有规则。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The cover table {path} has no rule.</source>
        <translation>覆土表 {path} 中没有规则。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Row {row} of {path}: {column} = {value!r} is not a number.</source>
        <translation>{path} 第 {row} 行：{column} = {value!r} 不是数值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>These rules have no class mapping: give a class field instead.</source>
        <translation>这些规则没有类别映射：请改为指定类别字段。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Row {row} of {path}: class_a and class_b must both be given.</source>
        <translation>{path} 第 {row} 行：必须同时给出 class_a 和 class_b。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Row {row} of {path}: the class is empty.</source>
        <translation>{path} 第 {row} 行：类别为空。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Row {row} of {path}: the class {cls} is listed twice.</source>
        <translation>{path} 第 {row} 行：类别 {cls} 重复列出。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The rule table {path} gives two values of {column} for {a} / {b}: {v1} m ({r1}) and {v2} m ({r2}).</source>
        <translation>规则表 {path} 对 {a} / {b} 给出了两个 {column} 值：{v1} m（{r1}）和 {v2} m（{r2}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Migration needs the trace spacing: give TRACE_SPACING_M (the file has no distances).</source>
        <translation>偏移处理需要道间距：请指定 TRACE_SPACING_M（文件中没有距离信息）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Migration needs a velocity: give velocity_m_ns (the file gives no permittivity).</source>
        <translation>偏移处理需要速度：请指定 velocity_m_ns（文件中未给出介电常数）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown processing step '{name}' in '{source}'. Known steps and presets: {known}.</source>
        <translation>'{source}' 中的处理步骤 '{name}' 未知。可用的处理步骤和预设：{known}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>A processing step list must be text, not {kind}.</source>
        <translation>处理步骤列表必须是文本，而不是 {kind}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The step '{step}' has no argument '{arg}' (in '{source}'); its arguments are: {allowed}.</source>
        <translation>处理步骤 '{step}' 没有参数 '{arg}'（位于 '{source}'）；其可用参数为：{allowed}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot read the processing step '{source}': write name or name(arg=value, ...).</source>
        <translation>无法解析处理步骤 '{source}'：请写作 name 或 name(arg=value, ...)。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The preset '{name}' takes no arguments (in '{source}').</source>
        <translation>预设 '{name}' 不接受参数（位于 '{source}'）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Write the arguments of '{source}' as name=value.</source>
        <translation>请将 '{source}' 的参数写作 name=value。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Processing step '{step}' failed: {reason}</source>
        <translation>处理步骤 '{step}' 失败：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The value of '{arg}' in '{source}' must be a number, None, True/False or a quoted text.</source>
        <translation>'{source}' 中 '{arg}' 的值必须是数值、None、True/False 或带引号的文本。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} has no GPS positions to georeference with.</source>
        <translation>{path} 没有可用于地理配准的 GPS 定位数据。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} has no usable GPS fix.</source>
        <translation>{path} 没有有效的 GPS 定位。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: {got} coordinates for {n} traces.</source>
        <translation>{path}：共 {n} 道，但有 {got} 个坐标。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The survey line needs at least two vertices.</source>
        <translation>测线至少需要两个顶点。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The survey line has no length.</source>
        <translation>测线长度为零。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The point cloud {path} must end in .las or .laz.</source>
        <translation>点云 {path} 的扩展名必须为 .las 或 .laz。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Writing LAS/LAZ needs the Python package laspy (pip install 'laspy[lazrs]&gt;=2.5').</source>
        <translation>写入 LAS/LAZ 需要 Python 包 laspy（pip install 'laspy[lazrs]&gt;=2.5'）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write the point cloud {path}: {reason}</source>
        <translation>无法写入点云 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the field {field} = {value} cannot be used: it must be {rule}.</source>
        <translation>{path}：字段 {field} = {value} 不可用：须为 {rule}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is too large ({size} bytes) to be a GPR header file.</source>
        <translation>{path} 过大（{size} 字节），不是探地雷达文件头文件。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The Sensors &amp; Software header file {path} is missing: it is needed with {data} for the fields NUMBER OF PTS/TRC and TOTAL TIME WINDOW.</source>
        <translation>缺少 Sensors &amp; Software 文件头文件 {path}：读取 {data} 时需要其中的字段 NUMBER OF PTS/TRC 和 TOTAL TIME WINDOW。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} holds no complete trace: it has {size} bytes, less than one {record}-byte trace (field {field}).</source>
        <translation>{path} 中没有完整的道：文件只有 {size} 字节，不足一道的 {record} 字节（字段 {field}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a Sensors &amp; Software DT1 file: the first trace header gives {field} = {value}.</source>
        <translation>{path} 不是 Sensors &amp; Software DT1 文件：第一道道头中 {field} = {value}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} holds no complete trace: a trace of {points} points ({field}) needs {record} bytes but the file has {size}.</source>
        <translation>{path} 中没有完整的道：每道 {points} 个采样点（{field}）需要 {record} 字节，但文件只有 {size} 字节。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot read {path}: {reason}.</source>
        <translation>无法读取 {path}：{reason}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The Sensors &amp; Software data file {path} is missing: the header {header} has no samples without it.</source>
        <translation>缺少 Sensors &amp; Software 数据文件 {path}：没有它，文件头 {header} 没有对应的采样数据。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the field {field} is missing and the first trace header of {data} does not give the points per trace either.</source>
        <translation>{path}：缺少字段 {field}，且 {data} 的第一道道头中也未给出每道采样点数。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the field {field} is missing and the trace headers of {data} do not give it either.</source>
        <translation>{path}：缺少字段 {field}，且 {data} 的道头中也未给出该值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} does not exist.</source>
        <translation>DZT 文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} is {size} bytes long, too short for the {need} bytes of its {nchan} channel headers (header field {field}).</source>
        <translation>DZT 文件 {path} 长度为 {size} 字节，不足以容纳其 {nchan} 个通道文件头所需的 {need} 字节（文件头字段 {field}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} has an invalid header field {field} = {value} (expected {expected}).</source>
        <translation>DZT 文件 {path} 的文件头字段无效：{field} = {value}（应为 {expected}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} puts its data at byte {offset} (header field {field} = {value}), beyond the end of the file ({size} bytes).</source>
        <translation>DZT 文件 {path} 的数据起始于第 {offset} 字节（文件头字段 {field} = {value}），超出文件末尾（文件共 {size} 字节）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} holds no complete scan: {available} data bytes after byte {offset}, but one scan (header fields rh_nsamp x rh_nchan x rh_bits) needs {scan_bytes} bytes.</source>
        <translation>DZT 文件 {path} 中没有完整的扫描道：第 {offset} 字节之后只有 {available} 字节数据，而一个扫描道（文件头字段 rh_nsamp x rh_nchan x rh_bits）需要 {scan_bytes} 字节。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} is {size} bytes long, too short for its {field} ({need} bytes).</source>
        <translation>DZT 文件 {path} 长度为 {size} 字节，不足以容纳其 {field}（{need} 字节）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} cannot be read: {reason}</source>
        <translation>无法读取 DZT 文件 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a MALA file: the extension {ext} is none of .rad, .rd3, .rd7.</source>
        <translation>{path} 不是 MALA 文件：扩展名 {ext} 不是 .rad、.rd3、.rd7 之一。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The MALA data file for {path} is missing: {rd3} or {rd7} should be next to it.</source>
        <translation>缺少 {path} 对应的 MALA 数据文件：{rd3} 或 {rd7} 应与其位于同一文件夹。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the field {field} is missing.</source>
        <translation>{path}：缺少字段 {field}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} holds no complete trace: a trace of {points} samples ({field}) needs {record} bytes but the file has {size}.</source>
        <translation>{path} 中没有完整的道：每道 {points} 个采样（{field}）需要 {record} 字节，但文件只有 {size} 字节。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The MALA header file {path} is missing: it is needed with {data} for the fields SAMPLES and FREQUENCY.</source>
        <translation>缺少 MALA 文件头文件 {path}：读取 {data} 时需要其中的字段 SAMPLES 和 FREQUENCY。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the fields {field} and TIMEWINDOW are both missing or unusable.</source>
        <translation>{path}：字段 {field} 和 TIMEWINDOW 均缺失或不可用。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: trace count inconsistent with file size: the {body} bytes after byte {offset} are not a whole number of {trace_bytes}-byte traces (240-byte trace header + {ns} samples of {bps} bytes, {field}).</source>
        <translation>{path}：道数与文件大小不符：第 {offset} 字节之后的 {body} 字节不是每道 {trace_bytes} 字节的整数倍（240 字节道头 + {ns} 个采样 × 每采样 {bps} 字节，{field}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: {field} = {value} is not a usable number of extended textual headers (the file has room for {room}).</source>
        <translation>{path}：{field} = {value} 不是可用的扩展文本文件头个数（文件可容纳 {room} 个）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the number of samples per trace is 0 in {field}; a SEG-Y trace needs at least one sample.</source>
        <translation>{path}：{field} 中的每道采样数为 0；SEG-Y 每道至少需要一个采样。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sample interval override {field} for {path} must be a positive number of nanoseconds; got {value!r}.</source>
        <translation>为 {path} 指定的采样间隔 {field} 必须为正数（单位：ns），实际为 {value!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is too short to be a SEG-Y file ({size} bytes): {field} and at least one 240-byte trace header need 3840 bytes.</source>
        <translation>{path} 过短（{size} 字节），不是 SEG-Y 文件：{field} 加至少一个 240 字节道头需要 3840 字节。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} cannot be read: {reason}</source>
        <translation>无法读取 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the sample interval is 0 in {field}; give the sample interval (sample_interval_ns) to read this file.</source>
        <translation>{path}：{field} 中的采样间隔为 0；请指定采样间隔（sample_interval_ns）以读取该文件。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the traces have different lengths ({field}) and padding them to the longest would need {need_mb} MB (at most {limit_mb} MB).</source>
        <translation>{path}：各道长度不一（{field}），将其补齐到最长道需要 {need_mb} MB（上限 {limit_mb} MB）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the SEG-Y sample format code {value} ({field}) is not supported; PipeMap reads codes 1 (IBM float), 2 (32-bit integer), 3 (16-bit integer), 5 (IEEE float) and 8 (8-bit integer).</source>
        <translation>{path}：不支持 SEG-Y 采样格式代码 {value}（{field}）；PipeMap 可读取的代码为 1（IBM 浮点）、2（32 位整数）、3（16 位整数）、5（IEEE 浮点）和 8（8 位整数）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write the SEG-Y file {path}: {field} = {value!r} cannot be stored ({reason}).</source>
        <translation>无法写入 SEG-Y 文件 {path}：无法存储 {field} = {value!r}（{reason}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write the SEG-Y file {path}: {reason}</source>
        <translation>无法写入 SEG-Y 文件 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>A survey line needs its CRS.</source>
        <translation>测线必须指定坐标参考系。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sample interval must be positive.</source>
        <translation>采样间隔必须为正数。</translation>
    </message>
</context>
<context>
    <name>PipeMapPlugin</name>
    <message>
        <location filename="../plugin/main.py" line="45" />
        <source>&amp;PipeMap</source>
        <translation>管线综合图(&amp;P)</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="47" />
        <source>PipeMap</source>
        <translation>管线综合图</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="50" />
        <source>Create integrated map…</source>
        <translation>创建管线综合图…</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="50" />
        <source>Create an empty integrated map (GeoPackage) with the CJJ 61 data model</source>
        <translation>按 CJJ 61 数据模型创建空的管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="78" />
        <source>PipeMap help</source>
        <translation>PipeMap 帮助</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="78" />
        <source>Open the PipeMap help</source>
        <translation>打开 PipeMap 帮助</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="56" />
        <source>Import survey tables…</source>
        <translation>导入探测成果表…</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="56" />
        <source>Import CJJ 61 point and segment result tables into an integrated map</source>
        <translation>将 CJJ 61 管线点和管线段成果表导入管线综合图</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="61" />
        <source>Build 3D pipes…</source>
        <translation>生成三维管线…</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="61" />
        <source>Build true-size 3D pipes and wells from an integrated map</source>
        <translation>由管线综合图生成真实尺寸的三维管线和窨井</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="66" />
        <source>Show pipes in 3D</source>
        <translation>三维显示管线</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="66" />
        <source>Colour the project's 3D pipe layers by category and open a 3D map view</source>
        <translation>按管线类别为工程中的三维管线图层着色，并打开三维地图视图</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="72" />
        <source>Profile drawing…</source>
        <translation>断面图…</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="72" />
        <source>Longitudinal profile along a run or cross-section along a line</source>
        <translation>沿连通管段的纵断面图或沿断面线的横断面图</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="112" />
        <source>No 3D pipe layer in the project: run “Build 3D pipes” first.</source>
        <translation>工程中没有三维管线图层：请先运行“生成三维管线”。</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="115" />
        <source>{n} pipe layer(s) coloured by category in 3D.</source>
        <translation>已按管线类别为 {n} 个三维管线图层着色。</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="118" />
        <source>Open View › New 3D Map View to see them.</source>
        <translation>请通过 视图 › 新建 3D 地图视图 查看。</translation>
    </message>
</context>
<context>
    <name>PipeMapProvider</name>
    <message>
        <location filename="../processing/provider.py" line="39" />
        <source>PipeMap underground pipeline map {version}</source>
        <translation>PipeMap 地下管线综合图 {version}</translation>
    </message>
</context>
<context>
    <name>ProfileAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/profile.py" line="44" />
        <source>Profile drawing (longitudinal or cross-section)</source>
        <translation>断面图（纵断面图或横断面图）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="47" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="62" />
        <source>Drawing</source>
        <translation>断面图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="50" />
        <source>Longitudinal profile along a run</source>
        <translation>沿连通管段的纵断面图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="50" />
        <source>Cross-section along a line</source>
        <translation>沿断面线的横断面图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="53" />
        <source>Run from point number</source>
        <translation>纵断面起点管线点号</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="55" />
        <source>Run to point number</source>
        <translation>纵断面终点管线点号</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="57" />
        <source>Run category code (e.g. PS)</source>
        <translation>纵断面管线类别代码（如 PS）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="59" />
        <source>Section line</source>
        <translation>断面线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="61" />
        <source>Ground DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="62" />
        <source>PNG (*.png);;SVG (*.svg);;PDF (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="64" />
        <source>Also write the other formats (PNG, SVG, PDF)</source>
        <translation>同时输出其他格式（PNG、SVG、PDF）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="66" />
        <source>Figures (JSON)</source>
        <translation>图形数据（JSON）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="78" />
        <source>The DEM must be in the map's CRS ({crs}).</source>
        <translation>DEM 必须采用综合图的坐标参考系（{crs}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="84" />
        <source>A longitudinal profile needs FROM_POINT and TO_POINT.</source>
        <translation>纵断面图需要指定 FROM_POINT 和 TO_POINT。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="92" />
        <source>A cross-section needs a SECTION line.</source>
        <translation>横断面图需要指定 SECTION 断面线。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="100" />
        <source>{n} pipes cross the section.</source>
        <translation>有 {n} 条管线穿过该断面。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="104" />
        <source>Wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
</context>
<context>
    <name>Render3DAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="42" />
        <source>Render 3D view of pipes</source>
        <translation>渲染管线三维视图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="49" />
        <source>3D pipe layers (from build3d) or pipe segments</source>
        <translation>三维管线图层（由 build3d 生成）或管线段图层</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="52" />
        <source>Ground DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="53" />
        <source>Terrain (with a DEM: seen through)</source>
        <translation>地形（使用 DEM 时半透明显示）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="53" />
        <source>Off</source>
        <translation>不显示</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="53" />
        <source>Flat</source>
        <translation>平面</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="53" />
        <source>DEM, see-through</source>
        <translation>DEM（半透明）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="56" />
        <source>Image width (px)</source>
        <translation>图像宽度（像素）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="59" />
        <source>Image height (px)</source>
        <translation>图像高度（像素）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="62" />
        <source>Camera pitch (degrees, 0 = straight down)</source>
        <translation>相机俯仰角（度，0 = 垂直向下）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="65" />
        <source>Camera heading (degrees)</source>
        <translation>相机方位角（度）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="68" />
        <source>Area to show (default: all layers)</source>
        <translation>显示范围（默认：全部图层）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="70" />
        <source>3D view (PNG)</source>
        <translation>三维视图（PNG）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="70" />
        <source>PNG (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="77" />
        <source>No valid vector layer to render.</source>
        <translation>没有可渲染的有效矢量图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="88" />
        <source>The DEM terrain needs a GROUND raster.</source>
        <translation>DEM 地形需要指定 GROUND 栅格图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="103" />
        <source>The 3D view could not be rendered: {reason}</source>
        <translation>无法渲染三维视图：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="105" />
        <source>Wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
</context>
</TS>