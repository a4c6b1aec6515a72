#include "twin/viz/MeshGeometry.h"

#include "twin/viz/GltfCheck.h"

#include <QFile>
#include <QFileInfo>

#include <vtkAlgorithm.h>
#include <vtkAppendPolyData.h>
#include <vtkCallbackCommand.h>
#include <vtkCellArray.h>
#include <vtkCleanPolyData.h>
#include <vtkCompositeDataIterator.h>
#include <vtkCompositeDataSet.h>
#include <vtkDataArray.h>
#include <vtkExecutive.h>
#include <vtkGLTFReader.h>
#include <vtkNew.h>
#include <vtkOBJReader.h>
#include <vtkObjectFactory.h>
#include <vtkOutputWindow.h>
#include <vtkPLYReader.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataNormals.h>
#include <vtkSTLReader.h>
#include <vtkSmartPointer.h>
#include <vtkTriangleFilter.h>

#include <cstring>
#include <limits>
#include <vector>

namespace twin::viz {
namespace {

void collectMessage(vtkObject *, unsigned long, void *clientData, void *callData)
{
    auto *messages = static_cast<QString *>(clientData);
    if (!callData)
        return;
    // VTK's text is "ERROR: In <source>, line N\n<class> (0x...): <message>": keep the message.
    QString text = QString::fromLocal8Bit(static_cast<const char *>(callData)).trimmed();
    if (const qsizetype at = text.lastIndexOf(QLatin1String("): ")); at >= 0)
        text = text.mid(at + 3);
    text = text.simplified();
    if (text.isEmpty() || messages->contains(text))
        return;
    if (!messages->isEmpty())
        messages->append(QLatin1String("; "));
    messages->append(text);
}

// Collects what VTK would print to its console/log window (objects without an observer, such as
// the glTF document loader) while installed; restores the previous window when it goes out of scope.
class CollectingOutputWindow : public vtkOutputWindow
{
public:
    static CollectingOutputWindow *New();
    vtkTypeMacro(CollectingOutputWindow, vtkOutputWindow);
    void DisplayText(const char *text) override
    {
        if (messages && text)
            collectMessage(nullptr, 0, messages, const_cast<char *>(text));
    }
    QString *messages = nullptr;
};
vtkStandardNewMacro(CollectingOutputWindow);

class OutputWindowScope
{
public:
    explicit OutputWindowScope(QString *messages) : m_previous(vtkOutputWindow::GetInstance())
    {
        m_window->messages = messages;
        vtkOutputWindow::SetInstance(m_window);
    }
    ~OutputWindowScope() { vtkOutputWindow::SetInstance(m_previous); }
    OutputWindowScope(const OutputWindowScope &) = delete;
    OutputWindowScope &operator=(const OutputWindowScope &) = delete;

private:
    vtkSmartPointer<vtkOutputWindow> m_previous;
    vtkNew<CollectingOutputWindow> m_window;
};

// All polydata leaves of a glTF reader's multiblock (node transforms already applied), merged.
vtkSmartPointer<vtkPolyData> mergeBlocks(vtkDataObject *output)
{
    auto *composite = vtkCompositeDataSet::SafeDownCast(output);
    if (!composite)
        return vtkPolyData::SafeDownCast(output);
    vtkNew<vtkAppendPolyData> append;
    vtkSmartPointer<vtkCompositeDataIterator> it;
    it.TakeReference(composite->NewIterator());
    int parts = 0;
    for (it->InitTraversal(); !it->IsDoneWithTraversal(); it->GoToNextItem())
        if (auto *poly = vtkPolyData::SafeDownCast(it->GetCurrentDataObject());
            poly && poly->GetNumberOfPoints() > 0) {
            append->AddInputData(poly);
            ++parts;
        }
    if (parts == 0)
        return {};
    append->Update();
    return append->GetOutput();
}

// A binary STL whose 80-byte header starts with "solid" looks like ASCII to naive readers.
// The size test (84 + 50 * count) is the reliable one.
bool isBinaryStlWithSolidHeader(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(84);
    if (head.size() < 84 || !head.trimmed().toLower().startsWith("solid"))
        return false;
    quint32 count = 0;
    std::memcpy(&count, head.constData() + 80, 4);
    return file.size() == 84 + 50 * qint64(count);
}

vtkSmartPointer<vtkPolyData> readBinaryStl(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray all = file.readAll();
    quint32 count = 0;
    std::memcpy(&count, all.constData() + 80, 4);
    vtkNew<vtkPoints> points;
    vtkNew<vtkCellArray> triangles;
    points->Allocate(vtkIdType(count) * 3);
    for (quint32 i = 0; i < count; ++i) {
        const char *record = all.constData() + 84 + 50 * qsizetype(i) + 12; // skip the facet normal
        vtkIdType ids[3];
        for (int v = 0; v < 3; ++v) {
            float xyz[3];
            std::memcpy(xyz, record + 12 * v, 12);
            ids[v] = points->InsertNextPoint(xyz[0], xyz[1], xyz[2]);
        }
        triangles->InsertNextCell(3, ids);
    }
    auto poly = vtkSmartPointer<vtkPolyData>::New();
    poly->SetPoints(points);
    poly->SetPolys(triangles);
    vtkNew<vtkCleanPolyData> clean; // merge shared corners so normals can be smoothed
    clean->SetInputData(poly);
    clean->Update();
    return clean->GetOutput();
}

// Why the file cannot be read at all; empty when it can.
QString fileProblem(const QFileInfo &info)
{
    if (!info.exists())
        return QStringLiteral("file not found");
    if (!info.isFile() || !info.isReadable())
        return QStringLiteral("not a readable file");
    if (info.size() == 0)
        return QStringLiteral("file is empty");
    return {};
}

// The VTK reader for the extension `ext` (lower case), set up for `path`. Null with `problem` set when
// the format is not supported or a glTF file fails its check.
vtkSmartPointer<vtkAlgorithm> createReader(const QString &path, const QString &ext, QString &problem)
{
    const QByteArray native = QFile::encodeName(path);
    if (ext == QLatin1String("stl")) {
        auto stl = vtkSmartPointer<vtkSTLReader>::New();
        stl->SetFileName(native.constData());
        return stl;
    }
    if (ext == QLatin1String("obj")) {
        auto obj = vtkSmartPointer<vtkOBJReader>::New();
        obj->SetFileName(native.constData());
        return obj;
    }
    if (ext == QLatin1String("ply")) {
        auto ply = vtkSmartPointer<vtkPLYReader>::New();
        ply->SetFileName(native.constData());
        return ply;
    }
    if (ext == QLatin1String("gltf") || ext == QLatin1String("glb")) {
        problem = checkGltf(path);
        if (!problem.isEmpty())
            return {};
        auto gltf = vtkSmartPointer<vtkGLTFReader>::New();
        gltf->SetFileName(native.constData());
        gltf->ApplyDeformationsToGeometryOn(); // node transforms baked into the points
        return gltf;
    }
    problem =
        QStringLiteral("unsupported mesh format '.%1' (expected .stl, .obj, .ply, .gltf or .glb)").arg(ext);
    return {};
}

// Runs the reader with its errors and warnings going to `onError`; its output as one polydata.
vtkSmartPointer<vtkPolyData> runReader(vtkAlgorithm *reader, vtkCommand *onError)
{
    reader->AddObserver(vtkCommand::ErrorEvent, onError);
    reader->AddObserver(vtkCommand::WarningEvent, onError);
    // The executive only repeats "returned failure" with a dump of the request: swallow it.
    vtkNew<vtkCallbackCommand> ignore;
    reader->GetExecutive()->AddObserver(vtkCommand::ErrorEvent, ignore);
    reader->Update();
    return mergeBlocks(reader->GetOutputDataObject(0));
}

// The file's contents as polydata, read by extension; null when nothing could be read. `problem` is set
// when the file was not read at all (unsupported format, failed glTF check).
vtkSmartPointer<vtkPolyData> readPolyData(const QString &path, const QString &ext, vtkCommand *onError,
                                          QString &problem)
{
    if (ext == QLatin1String("stl") && isBinaryStlWithSolidHeader(path))
        return readBinaryStl(path);
    const vtkSmartPointer<vtkAlgorithm> reader = createReader(path, ext, problem);
    if (!reader)
        return {};
    return runReader(reader, onError);
}

// Triangles only (lines and vertices dropped), with point normals split at edges sharper than 40 degrees.
vtkSmartPointer<vtkPolyData> triangulateWithNormals(vtkPolyData *raw, vtkCommand *onError)
{
    vtkNew<vtkTriangleFilter> triangulate;
    triangulate->SetInputData(raw);
    triangulate->PassLinesOff();
    triangulate->PassVertsOff();
    vtkNew<vtkPolyDataNormals> normals;
    normals->SetInputConnection(triangulate->GetOutputPort());
    normals->ComputePointNormalsOn();
    normals->SplittingOn();
    normals->SetFeatureAngle(40.0);
    normals->AddObserver(vtkCommand::ErrorEvent, onError);
    normals->Update();
    return normals->GetOutput();
}

// Position and normal of each point, interleaved as 6 floats.
QByteArray vertexBuffer(vtkPolyData *mesh, vtkDataArray *normalArray)
{
    const vtkIdType pointCount = mesh->GetNumberOfPoints();
    QByteArray vertices(qsizetype(pointCount) * 6 * qsizetype(sizeof(float)), Qt::Uninitialized);
    auto *v = reinterpret_cast<float *>(vertices.data());
    for (vtkIdType i = 0; i < pointCount; ++i) {
        double p[3];
        double n[3];
        mesh->GetPoint(i, p);
        normalArray->GetTuple(i, n);
        for (int k = 0; k < 3; ++k) {
            v[6 * i + k] = float(p[k]);
            v[6 * i + 3 + k] = float(n[k]);
        }
    }
    return vertices;
}

// The bounding box of the points, in the float precision of the vertex buffer.
void pointBounds(vtkPolyData *mesh, QVector3D &lo, QVector3D &hi)
{
    lo = QVector3D(std::numeric_limits<float>::max(), std::numeric_limits<float>::max(),
                   std::numeric_limits<float>::max());
    hi = -lo;
    const vtkIdType pointCount = mesh->GetNumberOfPoints();
    for (vtkIdType i = 0; i < pointCount; ++i) {
        double p[3];
        mesh->GetPoint(i, p);
        for (int k = 0; k < 3; ++k) {
            lo[k] = std::min(lo[k], float(p[k]));
            hi[k] = std::max(hi[k], float(p[k]));
        }
    }
}

// Three point indices per triangle; cells that are not triangles are skipped.
std::vector<quint32> triangleIndices(vtkCellArray *polys)
{
    std::vector<quint32> indices;
    indices.reserve(size_t(polys->GetNumberOfCells()) * 3);
    vtkIdType npts = 0;
    const vtkIdType *pts = nullptr;
    for (polys->InitTraversal(); polys->GetNextCell(npts, pts);)
        if (npts == 3)
            indices.insert(indices.end(), {quint32(pts[0]), quint32(pts[1]), quint32(pts[2])});
    return indices;
}

// Replaces the geometry's buffers with an indexed triangle list of interleaved positions and normals.
void setTriangles(QQuick3DGeometry &geometry, const QByteArray &vertices, const std::vector<quint32> &indices,
                  const QVector3D &lo, const QVector3D &hi)
{
    using Attribute = QQuick3DGeometry::Attribute;
    geometry.clear();
    geometry.setStride(6 * int(sizeof(float)));
    geometry.setPrimitiveType(QQuick3DGeometry::PrimitiveType::Triangles);
    geometry.addAttribute(Attribute::PositionSemantic, 0, Attribute::F32Type);
    geometry.addAttribute(Attribute::NormalSemantic, 3 * int(sizeof(float)), Attribute::F32Type);
    geometry.addAttribute(Attribute::IndexSemantic, 0, Attribute::U32Type);
    geometry.setVertexData(vertices);
    geometry.setIndexData(QByteArray(reinterpret_cast<const char *>(indices.data()),
                                     qsizetype(indices.size() * sizeof(quint32))));
    geometry.setBounds(lo, hi);
}

} // namespace

MeshGeometry::MeshGeometry(QQuick3DObject *parent) : QQuick3DGeometry(parent) {}

bool MeshGeometry::isSupportedFile(const QString &path)
{
    const QString ext = QFileInfo(path).suffix().toLower();
    return ext == QLatin1String("stl") || ext == QLatin1String("obj") || ext == QLatin1String("ply") ||
           ext == QLatin1String("gltf") || ext == QLatin1String("glb");
}

void MeshGeometry::setEmpty()
{
    clear();
    m_triangles = 0;
    m_min = m_max = QVector3D();
    update();
}

bool MeshGeometry::load(const QString &path)
{
    m_source = path;
    m_error.clear();
    const QFileInfo info(path);
    const QString ext = info.suffix().toLower();
    auto fail = [&](const QString &reason) {
        m_error = QStringLiteral("%1: %2").arg(path, reason);
        setEmpty();
        emit sourceChanged();
        return false;
    };
    if (const QString problem = fileProblem(info); !problem.isEmpty())
        return fail(problem);

    QString vtkMessages;
    const OutputWindowScope quiet(&vtkMessages); // nothing reaches VTK's own console or window
    vtkNew<vtkCallbackCommand> onError;
    onError->SetCallback(&collectMessage);
    onError->SetClientData(&vtkMessages);

    QString problem;
    const vtkSmartPointer<vtkPolyData> raw = readPolyData(path, ext, onError, problem);
    if (!problem.isEmpty())
        return fail(problem);
    if (!raw || raw->GetNumberOfPoints() == 0 || raw->GetNumberOfCells() == 0)
        return fail(vtkMessages.isEmpty() ? QStringLiteral("no polygons found")
                                          : QStringLiteral("could not be read (%1)").arg(vtkMessages));

    const vtkSmartPointer<vtkPolyData> mesh = triangulateWithNormals(raw, onError);
    vtkCellArray *polys = mesh->GetPolys();
    vtkDataArray *normalArray = mesh->GetPointData()->GetNormals();
    if (!polys || polys->GetNumberOfCells() == 0 || !normalArray)
        return fail(QStringLiteral("contains no triangles"));

    QVector3D lo;
    QVector3D hi;
    pointBounds(mesh, lo, hi);
    const std::vector<quint32> indices = triangleIndices(polys);
    setTriangles(*this, vertexBuffer(mesh, normalArray), indices, lo, hi);
    m_min = lo;
    m_max = hi;
    m_triangles = int(indices.size() / 3);
    update();
    emit sourceChanged();
    return true;
}

} // namespace twin::viz
