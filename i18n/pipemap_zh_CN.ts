<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>Build3DAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="63" />
        <source>Build true-size 3D pipes</source>
        <translation>生成真实尺寸三维管线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="66" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="69" />
        <source>Facets around a circular pipe</source>
        <translation>圆管断面的边数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="72" />
        <source>3D pipes</source>
        <translation>三维管线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="74" />
        <source>3D wells</source>
        <translation>三维窨井</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="77" />
        <source>Pipes built</source>
        <translation>已生成管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="78" />
        <source>Wells built</source>
        <translation>已生成窨井数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="108" />
        <source>Could not write the 3D pipe {id}: {error}</source>
        <translation>无法写入三维管线 {id}：{error}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="114" />
        <source>Segment {id} has no usable geometry; no 3D pipe built.</source>
        <translation>管线段 {id} 没有可用的几何图形，未生成三维管线。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="144" />
        <source>Built {pipes} 3D pipes and {wells} wells.</source>
        <translation>已生成 {pipes} 条三维管线和 {wells} 个窨井。</translation>
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
    <name>ImportSurveyAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="76" />
        <source>Import survey result tables</source>
        <translation>导入探测成果表</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="79" />
        <source>Point table, or a folder of per-category tables</source>
        <translation>管线点成果表，或按管线类别分表存放的文件夹</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="82" />
        <source>Segment table (or the folder of tables)</source>
        <translation>管线段成果表（或成果表所在文件夹）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="85" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="88" />
        <source>Column profile: zh, en, or a JSON/YAML file</source>
        <translation>列名配置：zh、en 或 JSON/YAML 文件</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="90" />
        <source>CRS of the tables (empty: the map's, or the zone of prefixed eastings)</source>
        <translation>成果表的坐标参考系（留空：采用综合图的坐标参考系，或按东坐标的带号前缀确定投影带）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="93" />
        <source>Mode</source>
        <translation>导入模式</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="93" />
        <source>All or nothing</source>
        <translation>全部无误才导入</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="93" />
        <source>Import valid rows</source>
        <translation>仅导入有效行</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="95" />
        <source>Text encoding of CSV tables (empty: detect)</source>
        <translation>CSV 表格的文本编码（留空：自动检测）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="97" />
        <source>Import problems</source>
        <translation>导入问题</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="100" />
        <source>Import report (HTML)</source>
        <translation>导入报告（HTML）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="100" />
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="103" />
        <source>Points written</source>
        <translation>已写入管线点数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="103" />
        <source>Segments written</source>
        <translation>已写入管线段数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="103" />
        <source>Errors</source>
        <translation>错误数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="103" />
        <source>Warnings</source>
        <translation>警告数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="107" />
        <source>Map changed</source>
        <translation>综合图已更改</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="151" />
        <source>… and {n} more problems (see the problems layer or report).</source>
        <translation>……另有 {n} 个问题（见导入问题图层或导入报告）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="154" />
        <source>Imported {p} points and {s} segments into {map}.</source>
        <translation>已将 {p} 个管线点和 {s} 条管线段导入 {map}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="157" />
        <source>{n} error(s): nothing was imported and the map was left unchanged.</source>
        <translation>{n} 个错误：未导入任何数据，综合图未作改动。</translation>
    </message>
</context>
<context>
    <name>PipeMapAlgorithm</name>
    <message>
        <location filename="../processing/base.py" line="91" />
        <source>Integrated map</source>
        <translation>管线综合图</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="92" />
        <source>Ground-penetrating radar</source>
        <translation>探地雷达</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="93" />
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="94" />
        <source>Data sharing</source>
        <translation>数据共享</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="95" />
        <source>Network</source>
        <translation>管网</translation>
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
        <location filename="../plugin/main.py" line="57" />
        <source>PipeMap help</source>
        <translation>PipeMap 帮助</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="57" />
        <source>Open the PipeMap help</source>
        <translation>打开 PipeMap 帮助</translation>
    </message>
</context>
<context>
    <name>PipeMapProvider</name>
    <message>
        <location filename="../processing/provider.py" line="31" />
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
        <location filename="../processing/algorithms/render_3d.py" line="51" />
        <source>Ground DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="52" />
        <source>Terrain (with a DEM: seen through)</source>
        <translation>地形（使用 DEM 时半透明显示）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="52" />
        <source>Off</source>
        <translation>不显示</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="52" />
        <source>Flat</source>
        <translation>平面</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="52" />
        <source>DEM, see-through</source>
        <translation>DEM（半透明）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="55" />
        <source>Image width (px)</source>
        <translation>图像宽度（像素）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="58" />
        <source>Image height (px)</source>
        <translation>图像高度（像素）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="61" />
        <source>Camera pitch (degrees, 0 = straight down)</source>
        <translation>相机俯仰角（度，0 = 垂直向下）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="64" />
        <source>Camera heading (degrees)</source>
        <translation>相机方位角（度）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="67" />
        <source>Area to show (default: all layers)</source>
        <translation>显示范围（默认：全部图层）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="69" />
        <source>3D view (PNG)</source>
        <translation>三维视图（PNG）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="69" />
        <source>PNG (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="76" />
        <source>No valid vector layer to render.</source>
        <translation>没有可渲染的有效矢量图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="87" />
        <source>The DEM terrain needs a GROUND raster.</source>
        <translation>DEM 地形需要指定 GROUND 栅格图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="102" />
        <source>The 3D view could not be rendered: {reason}</source>
        <translation>无法渲染三维视图：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="104" />
        <source>Wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
</context>
</TS>