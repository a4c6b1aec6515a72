// The unit table: every DTDL unit (see dtdl/DtdlUnits.cpp) with its factor and offset to the base unit of its
// quantity kind, plus aliases found in telemetry exports and a few non-DTDL source units.
#include "twin/formats/Units.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace twin::model {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kBtu = 1055.05585262;        // international table BTU, J
constexpr double kGallon = 3.785411784e-3;    // US liquid gallon, m³
constexpr double kCubicFoot = 0.028316846592; // m³
constexpr double kPound = 0.45359237;         // kg
constexpr double kGravity = 9.80665;          // m/s², standard gravity
constexpr double kPoundForce = kPound * kGravity;
constexpr double kYear = 31557600.0; // Julian year, s
constexpr double kMile = 1609.344;

struct KindRow
{
    const char *kind;
    const char *dtdlUnitType;
};

const KindRow kKinds[] = {
    {"acceleration", "AccelerationUnit"},
    {"angle", "AngleUnit"},
    {"angularAcceleration", "AngularAccelerationUnit"},
    {"angularVelocity", "AngularVelocityUnit"},
    {"apparentEnergy", "ApparentEnergyUnit"},
    {"apparentPower", "ApparentPowerUnit"},
    {"area", "AreaUnit"},
    {"capacitance", "CapacitanceUnit"},
    {"unitless", "Unitless"},
    {"current", "CurrentUnit"},
    {"dataRate", "DataRateUnit"},
    {"dataSize", "DataSizeUnit"},
    {"density", "DensityUnit"},
    {"length", "LengthUnit"},
    {"charge", "ChargeUnit"},
    {"energy", "EnergyUnit"},
    {"power", "PowerUnit"},
    {"force", "ForceUnit"},
    {"frequency", "FrequencyUnit"},
    {"illuminance", "IlluminanceUnit"},
    {"inductance", "InductanceUnit"},
    {"absorbedDose", "IonizingRadiationDoseUnit"},   // gray: not convertible to sievert without a
    {"equivalentDose", "IonizingRadiationDoseUnit"}, // radiation weighting factor, so two kinds
    {"irradiance", "IrradianceUnit"},
    {"luminance", "LuminanceUnit"},
    {"luminousFlux", "LuminousFluxUnit"},
    {"luminousIntensity", "LuminousIntensityUnit"},
    {"magneticFlux", "MagneticFluxUnit"},
    {"magneticInduction", "MagneticInductionUnit"},
    {"mass", "MassUnit"},
    {"massFlowRate", "MassFlowRateUnit"},
    {"pressure", "PressureUnit"},
    {"radioactivity", "RadioactivityUnit"},
    {"reactiveEnergy", "ReactiveEnergyUnit"},
    {"reactivePower", "ReactivePowerUnit"},
    {"resistance", "ResistanceUnit"},
    {"soundPressureLevel", "SoundPressureUnit"},
    {"temperature", "TemperatureUnit"},
    {"time", "TimeUnit"},
    {"torque", "TorqueUnit"},
    {"velocity", "VelocityUnit"},
    {"voltage", "VoltageUnit"},
    {"volume", "VolumeUnit"},
    {"volumeFlowRate", "VolumeFlowRateUnit"},
};

struct UnitRow
{
    const char *kind;
    const char *name; // canonical
    double factor;    // base = value * factor + offset
    double offset;
    const char *aliases; // space separated
    bool dtdl;
};

// clang-format off
const UnitRow kUnits[] = {
    {"acceleration", "metrePerSecondSquared", 1.0, 0, "m/s2 m/s² m/s^2", true},
    {"acceleration", "centimetrePerSecondSquared", 0.01, 0, "cm/s2 cm/s² Gal", true},
    {"acceleration", "gForce", kGravity, 0, "g gn g0", true},
    {"angle", "radian", 1.0, 0, "rad", true},
    {"angle", "degreeOfArc", kPi / 180, 0, "deg ° degree degrees", true},
    {"angle", "minuteOfArc", kPi / 10800, 0, "arcmin", true},
    {"angle", "secondOfArc", kPi / 648000, 0, "arcsec", true},
    {"angle", "turn", 2 * kPi, 0, "rev revolution", true},
    {"angularAcceleration", "radianPerSecondSquared", 1.0, 0, "rad/s2 rad/s²", true},
    {"angularVelocity", "radianPerSecond", 1.0, 0, "rad/s", true},
    {"angularVelocity", "degreePerSecond", kPi / 180, 0, "deg/s °/s", true},
    {"angularVelocity", "revolutionPerMinute", 2 * kPi / 60, 0, "rpm RPM r/min 1/min", true},
    {"angularVelocity", "revolutionPerSecond", 2 * kPi, 0, "rps r/s", true},
    {"apparentEnergy", "voltAmpereHour", 1.0, 0, "VAh", true},
    {"apparentEnergy", "kilovoltAmpereHour", 1e3, 0, "kVAh", true},
    {"apparentEnergy", "megavoltAmpereHour", 1e6, 0, "MVAh", true},
    {"apparentEnergy", "gigavoltAmpereHour", 1e9, 0, "GVAh", true},
    {"apparentPower", "voltAmpere", 1.0, 0, "VA", true},
    {"apparentPower", "millivoltAmpere", 1e-3, 0, "mVA", true},
    {"apparentPower", "kilovoltAmpere", 1e3, 0, "kVA", true},
    {"apparentPower", "megavoltAmpere", 1e6, 0, "MVA", true},
    {"apparentPower", "gigavoltAmpere", 1e9, 0, "GVA", true},
    {"area", "squareMetre", 1.0, 0, "m2 m² sqm", true},
    {"area", "squareCentimetre", 1e-4, 0, "cm2 cm²", true},
    {"area", "squareMillimetre", 1e-6, 0, "mm2 mm²", true},
    {"area", "squareKilometre", 1e6, 0, "km2 km²", true},
    {"area", "hectare", 1e4, 0, "ha", true},
    {"area", "acre", 4046.8564224, 0, "ac", true},
    {"area", "squareFoot", 0.09290304, 0, "ft2 ft² sqft", true},
    {"area", "squareInch", 0.00064516, 0, "in2 in² sqin", true},
    {"capacitance", "farad", 1.0, 0, "", true},
    {"capacitance", "millifarad", 1e-3, 0, "mF", true},
    {"capacitance", "microfarad", 1e-6, 0, "µF uF", true},
    {"capacitance", "nanofarad", 1e-9, 0, "nF", true},
    {"capacitance", "picofarad", 1e-12, 0, "pF", true},
    {"unitless", "unity", 1.0, 0, "1 ratio fraction", true},
    {"unitless", "percent", 0.01, 0, "% pct percentage", true},
    {"unitless", "partsPerMillion", 1e-6, 0, "ppm", true},
    {"unitless", "partsPerBillion", 1e-9, 0, "ppb", true},
    {"unitless", "partsPerTrillion", 1e-12, 0, "ppt", true},
    {"unitless", "partsPerQuadrillion", 1e-15, 0, "ppq", true},
    {"current", "ampere", 1.0, 0, "A amp amps", true},
    {"current", "milliampere", 1e-3, 0, "mA", true},
    {"current", "microampere", 1e-6, 0, "µA uA", true},
    {"current", "kiloampere", 1e3, 0, "kA", true},
    {"dataRate", "bitPerSecond", 1.0, 0, "bit/s bps", true},
    {"dataRate", "bytePerSecond", 8.0, 0, "B/s", true},
    {"dataRate", "kibibitPerSecond", 0x1p10, 0, "Kibit/s", true},
    {"dataRate", "kibibytePerSecond", 0x1p13, 0, "KiB/s", true},
    {"dataRate", "mebibitPerSecond", 0x1p20, 0, "Mibit/s", true},
    {"dataRate", "mebibytePerSecond", 0x1p23, 0, "MiB/s", true},
    {"dataRate", "gibibitPerSecond", 0x1p30, 0, "Gibit/s", true},
    {"dataRate", "gibibytePerSecond", 0x1p33, 0, "GiB/s", true},
    {"dataRate", "tebibitPerSecond", 0x1p40, 0, "Tibit/s", true},
    {"dataRate", "tebibytePerSecond", 0x1p43, 0, "TiB/s", true},
    {"dataRate", "exbibitPerSecond", 0x1p60, 0, "Eibit/s", true},
    {"dataRate", "exbibytePerSecond", 0x1p63, 0, "EiB/s", true},
    {"dataRate", "zebibitPerSecond", 0x1p70, 0, "Zibit/s", true},
    {"dataRate", "zebibytePerSecond", 0x1p73, 0, "ZiB/s", true},
    {"dataRate", "yobibitPerSecond", 0x1p80, 0, "Yibit/s", true},
    {"dataRate", "yobibytePerSecond", 0x1p83, 0, "YiB/s", true},
    {"dataSize", "bit", 1.0, 0, "", true},
    {"dataSize", "byte", 8.0, 0, "B", true},
    {"dataSize", "kibibit", 0x1p10, 0, "Kibit", true},
    {"dataSize", "kibibyte", 0x1p13, 0, "KiB", true},
    {"dataSize", "mebibit", 0x1p20, 0, "Mibit", true},
    {"dataSize", "mebibyte", 0x1p23, 0, "MiB", true},
    {"dataSize", "gibibit", 0x1p30, 0, "Gibit", true},
    {"dataSize", "gibibyte", 0x1p33, 0, "GiB", true},
    {"dataSize", "tebibit", 0x1p40, 0, "Tibit", true},
    {"dataSize", "tebibyte", 0x1p43, 0, "TiB", true},
    {"dataSize", "exbibit", 0x1p60, 0, "Eibit", true},
    {"dataSize", "exbibyte", 0x1p63, 0, "EiB", true},
    {"dataSize", "zebibit", 0x1p70, 0, "Zibit", true},
    {"dataSize", "zebibyte", 0x1p73, 0, "ZiB", true},
    {"dataSize", "yobibit", 0x1p80, 0, "Yibit", true},
    {"dataSize", "yobibyte", 0x1p83, 0, "YiB", true},
    {"density", "kilogramPerCubicMetre", 1.0, 0, "kg/m3 kg/m³", true},
    {"density", "gramPerCubicMetre", 1e-3, 0, "g/m3 g/m³", true},
    {"density", "milligramPerCubicMetre", 1e-6, 0, "mg/m3 mg/m³", true},
    {"density", "microgramPerCubicMetre", 1e-9, 0, "µg/m3 µg/m³ ug/m3", true},
    {"length", "metre", 1.0, 0, "m meter", true},
    {"length", "centimetre", 0.01, 0, "cm", true},
    {"length", "millimetre", 1e-3, 0, "mm", true},
    {"length", "micrometre", 1e-6, 0, "µm um micron", true},
    {"length", "nanometre", 1e-9, 0, "nm", true},
    {"length", "kilometre", 1e3, 0, "km", true},
    {"length", "inch", 0.0254, 0, "in", true},
    {"length", "foot", 0.3048, 0, "ft", true},
    {"length", "mile", kMile, 0, "mi", true},
    {"length", "nauticalMile", 1852.0, 0, "NM nmi", true},
    {"length", "astronomicalUnit", 149597870700.0, 0, "au AU", true},
    {"charge", "coulomb", 1.0, 0, "", true},
    {"charge", "ampereHour", 3600.0, 0, "Ah", true},
    {"charge", "milliampereHour", 3.6, 0, "mAh", true},
    {"energy", "joule", 1.0, 0, "J", true},
    {"energy", "kilojoule", 1e3, 0, "kJ", true},
    {"energy", "megajoule", 1e6, 0, "MJ", true},
    {"energy", "gigajoule", 1e9, 0, "GJ", true},
    {"energy", "milliwattHour", 3.6, 0, "mWh", true},
    {"energy", "wattHour", 3600.0, 0, "Wh", true},
    {"energy", "kilowattHour", 3.6e6, 0, "kWh", true},
    {"energy", "megawattHour", 3.6e9, 0, "MWh", true},
    {"energy", "gigawattHour", 3.6e12, 0, "GWh", true},
    {"energy", "terawattHour", 3.6e15, 0, "TWh", true},
    {"energy", "electronvolt", 1.602176634e-19, 0, "eV", true},
    {"energy", "megaelectronvolt", 1.602176634e-13, 0, "MeV", true},
    {"energy", "britishThermalUnit", kBtu, 0, "BTU Btu", true},
    {"energy", "kiloBritishThermalUnit", kBtu * 1e3, 0, "kBTU kBtu MBTU", true},
    {"power", "watt", 1.0, 0, "W", true},
    {"power", "microwatt", 1e-6, 0, "µW uW", true},
    {"power", "milliwatt", 1e-3, 0, "mW", true},
    {"power", "kilowatt", 1e3, 0, "kW", true},
    {"power", "megawatt", 1e6, 0, "MW", true},
    {"power", "gigawatt", 1e9, 0, "GW", true},
    {"power", "horsepower", 745.69987158227022, 0, "hp HP", true},
    {"power", "joulePerSecond", 1.0, 0, "J/s", true},
    {"power", "joulePerHour", 1.0 / 3600, 0, "J/h", true},
    {"power", "kilojoulePerSecond", 1e3, 0, "kJ/s", true},
    {"power", "kilojoulePerHour", 1e3 / 3600, 0, "kJ/h", true},
    {"power", "megajoulePerHour", 1e6 / 3600, 0, "MJ/h", true},
    {"power", "gigajoulePerHour", 1e9 / 3600, 0, "GJ/h", true},
    {"power", "britishThermalUnitPerHour", kBtu / 3600, 0, "BTU/h Btu/h BTU/hr Btuh BTUH", true},
    {"power", "kiloBritishThermalUnitPerHour", kBtu / 3.6, 0, "kBTU/h kBtu/h MBH MBtu/h", true},
    {"power", "tonOfRefrigeration", 12000 * kBtu / 3600, 0, "TR RT tonref", true},
    {"power", "kilowattHourPerYear", 3.6e6 / kYear, 0, "kWh/yr kWh/a", true},
    {"force", "newton", 1.0, 0, "N", true},
    {"force", "pound", kPoundForce, 0, "lbf", true},
    {"force", "ounce", kPoundForce / 16, 0, "ozf", true},
    {"force", "ton", 2000 * kPoundForce, 0, "tonf", true},
    {"frequency", "hertz", 1.0, 0, "Hz", true},
    {"frequency", "millihertz", 1e-3, 0, "mHz", true},
    {"frequency", "kilohertz", 1e3, 0, "kHz", true},
    {"frequency", "megahertz", 1e6, 0, "MHz", true},
    {"frequency", "gigahertz", 1e9, 0, "GHz", true},
    {"illuminance", "lux", 1.0, 0, "lx", true},
    {"illuminance", "footcandle", 10.763910416709722, 0, "fc", true},
    {"inductance", "henry", 1.0, 0, "H", true},
    {"inductance", "millihenry", 1e-3, 0, "mH", true},
    {"inductance", "microhenry", 1e-6, 0, "µH uH", true},
    {"absorbedDose", "gray", 1.0, 0, "Gy", true},
    {"absorbedDose", "milligray", 1e-3, 0, "mGy", true},
    {"absorbedDose", "microgray", 1e-6, 0, "µGy uGy", true},
    {"equivalentDose", "sievert", 1.0, 0, "Sv", true},
    {"equivalentDose", "millisievert", 1e-3, 0, "mSv", true},
    {"equivalentDose", "microsievert", 1e-6, 0, "µSv uSv", true},
    {"irradiance", "wattPerSquareMetre", 1.0, 0, "W/m2 W/m²", true},
    {"luminance", "candelaPerSquareMetre", 1.0, 0, "cd/m2 cd/m² nit", true},
    {"luminousFlux", "lumen", 1.0, 0, "lm", true},
    {"luminousIntensity", "candela", 1.0, 0, "cd", true},
    {"magneticFlux", "weber", 1.0, 0, "Wb", true},
    {"magneticFlux", "maxwell", 1e-8, 0, "Mx", true},
    {"magneticInduction", "tesla", 1.0, 0, "T", true},
    {"magneticInduction", "gauss", 1e-4, 0, "Gs", true},
    {"mass", "kilogram", 1.0, 0, "kg", true},
    {"mass", "gram", 1e-3, 0, "gm", true},
    {"mass", "milligram", 1e-6, 0, "mg", true},
    {"mass", "microgram", 1e-9, 0, "µg ug", true},
    {"mass", "tonne", 1e3, 0, "t", true},
    {"mass", "massPound", kPound, 0, "lb lbs lbm", true},
    {"mass", "slug", kPoundForce / 0.3048, 0, "", true},
    {"massFlowRate", "kilogramPerSecond", 1.0, 0, "kg/s", true},
    {"massFlowRate", "kilogramPerHour", 1.0 / 3600, 0, "kg/h kg/hr", true},
    {"massFlowRate", "gramPerSecond", 1e-3, 0, "g/s", true},
    {"massFlowRate", "gramPerHour", 1e-3 / 3600, 0, "g/h", true},
    {"massFlowRate", "massPoundPerHour", kPound / 3600, 0, "lb/h lb/hr pph", true},
    {"pressure", "pascal", 1.0, 0, "Pa", true},
    {"pressure", "decapascal", 10.0, 0, "daPa", true},
    {"pressure", "hectopascal", 100.0, 0, "hPa", true},
    {"pressure", "kilopascal", 1e3, 0, "kPa", true},
    {"pressure", "megapascal", 1e6, 0, "MPa", false},
    {"pressure", "millibar", 100.0, 0, "mbar mb", true},
    {"pressure", "bar", 1e5, 0, "", true},
    {"pressure", "poundPerSquareInch", kPoundForce / (0.0254 * 0.0254), 0, "psi PSI lbf/in2", true},
    {"pressure", "inchesOfMercury", 3386.389, 0, "inHg", true},
    {"pressure", "inchesOfWater", 249.08891, 0, "inH2O inWC in.w.c. iwc", true},
    {"pressure", "millimetresOfMercury", 133.322387415, 0, "mmHg", true},
    {"radioactivity", "becquerel", 1.0, 0, "Bq", true},
    {"radioactivity", "kilobecquerel", 1e3, 0, "kBq", true},
    {"radioactivity", "megabecquerel", 1e6, 0, "MBq", true},
    {"radioactivity", "gigabecquerel", 1e9, 0, "GBq", true},
    {"reactiveEnergy", "voltAmpereReactiveHour", 1.0, 0, "varh VArh", true},
    {"reactiveEnergy", "kilovoltAmpereReactiveHour", 1e3, 0, "kvarh kVArh", true},
    {"reactiveEnergy", "megavoltAmpereReactiveHour", 1e6, 0, "Mvarh MVArh", true},
    {"reactiveEnergy", "gigavoltAmpereReactiveHour", 1e9, 0, "Gvarh GVArh", true},
    {"reactivePower", "voltAmpereReactive", 1.0, 0, "var VAr VAR", true},
    {"reactivePower", "millivoltAmpereReactive", 1e-3, 0, "mvar mVAr", true},
    {"reactivePower", "kilovoltAmpereReactive", 1e3, 0, "kvar kVAr kVAR", true},
    {"reactivePower", "megavoltAmpereReactive", 1e6, 0, "Mvar MVAr MVAR", true},
    {"reactivePower", "gigavoltAmpereReactive", 1e9, 0, "Gvar GVAr GVAR", true},
    {"resistance", "ohm", 1.0, 0, "Ω", true},
    {"resistance", "milliohm", 1e-3, 0, "mΩ mohm", true},
    {"resistance", "kiloohm", 1e3, 0, "kΩ kohm", true},
    {"resistance", "megaohm", 1e6, 0, "MΩ Mohm", true},
    {"soundPressureLevel", "bel", 1.0, 0, "", true}, // levels: 1 B = 10 dB
    {"soundPressureLevel", "decibel", 0.1, 0, "dB", true},
    {"temperature", "kelvin", 1.0, 0, "K", true},
    {"temperature", "degreeCelsius", 1.0, 273.15, "°C ℃ degC deg_C C celsius Celsius", true},
    {"temperature", "degreeFahrenheit", 5.0 / 9, 273.15 - 32 * 5.0 / 9, "°F ℉ degF deg_F F fahrenheit Fahrenheit", true},
    {"time", "second", 1.0, 0, "s sec secs", true},
    {"time", "millisecond", 1e-3, 0, "ms", true},
    {"time", "microsecond", 1e-6, 0, "µs us", true},
    {"time", "nanosecond", 1e-9, 0, "ns", true},
    {"time", "minute", 60.0, 0, "min mins", true},
    {"time", "hour", 3600.0, 0, "h hr hrs", true},
    {"time", "day", 86400.0, 0, "d", true},
    {"time", "year", kYear, 0, "yr a", true},
    {"torque", "newtonMetre", 1.0, 0, "Nm N·m N*m N.m", true},
    {"velocity", "metrePerSecond", 1.0, 0, "m/s", true},
    {"velocity", "centimetrePerSecond", 0.01, 0, "cm/s", true},
    {"velocity", "kilometrePerHour", 1.0 / 3.6, 0, "km/h kph", true},
    {"velocity", "kilometrePerSecond", 1e3, 0, "km/s", true},
    {"velocity", "metrePerHour", 1.0 / 3600, 0, "m/h", true},
    {"velocity", "milePerHour", kMile / 3600, 0, "mph", true},
    {"velocity", "milePerSecond", kMile, 0, "mi/s", true},
    {"velocity", "knot", 1852.0 / 3600, 0, "kn kt", true},
    {"velocity", "footPerMinute", 0.3048 / 60, 0, "fpm ft/min", false},
    {"voltage", "volt", 1.0, 0, "V", true},
    {"voltage", "millivolt", 1e-3, 0, "mV", true},
    {"voltage", "microvolt", 1e-6, 0, "µV uV", true},
    {"voltage", "kilovolt", 1e3, 0, "kV", true},
    {"voltage", "megavolt", 1e6, 0, "MV", true},
    {"volume", "cubicMetre", 1.0, 0, "m3 m³", true},
    {"volume", "cubicCentimetre", 1e-6, 0, "cm3 cm³ cc", true},
    {"volume", "litre", 1e-3, 0, "l L liter", true},
    {"volume", "millilitre", 1e-6, 0, "ml mL", true},
    {"volume", "cubicFoot", kCubicFoot, 0, "ft3 ft³ cf", true},
    {"volume", "cubicInch", 1.6387064e-5, 0, "in3 in³", true},
    {"volume", "gallon", kGallon, 0, "gal", true},
    {"volume", "fluidOunce", kGallon / 128, 0, "floz fl_oz", true},
    {"volumeFlowRate", "cubicMetrePerSecond", 1.0, 0, "m3/s m³/s", true},
    {"volumeFlowRate", "cubicMetrePerMinute", 1.0 / 60, 0, "m3/min m³/min", true},
    {"volumeFlowRate", "cubicMetrePerHour", 1.0 / 3600, 0, "m3/h m³/h m3/hr cmh", true},
    {"volumeFlowRate", "litrePerSecond", 1e-3, 0, "l/s L/s lps", true},
    {"volumeFlowRate", "litrePerMinute", 1e-3 / 60, 0, "l/min L/min lpm LPM", true},
    {"volumeFlowRate", "litrePerHour", 1e-3 / 3600, 0, "l/h L/h lph", true},
    {"volumeFlowRate", "millilitrePerSecond", 1e-6, 0, "ml/s mL/s", true},
    {"volumeFlowRate", "millilitrePerMinute", 1e-6 / 60, 0, "ml/min mL/min", true},
    {"volumeFlowRate", "millilitrePerHour", 1e-6 / 3600, 0, "ml/h mL/h", true},
    {"volumeFlowRate", "gallonPerMinute", kGallon / 60, 0, "gpm GPM gal/min", true},
    {"volumeFlowRate", "gallonPerHour", kGallon / 3600, 0, "gph GPH gal/h", true},
    {"volumeFlowRate", "cubicFootPerMinute", kCubicFoot / 60, 0, "cfm CFM ft3/min", true},
};
// clang-format on

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

struct Index
{
    std::map<std::string, const UnitRow *, std::less<>> exact;
    std::map<std::string, const UnitRow *, std::less<>> folded; // nullptr marks a clash
};

const Index &index()
{
    static const Index idx = [] {
        Index result;
        auto add = [&](const std::string &key, const UnitRow *row) {
            result.exact.emplace(key, row);
            auto [it, inserted] = result.folded.emplace(lower(key), row);
            if (!inserted && it->second != row)
                it->second = nullptr;
        };
        for (const auto &row : kUnits)
            add(row.name, &row);
        for (const auto &row : kUnits) {
            std::istringstream in(row.aliases);
            std::string alias;
            while (in >> alias)
                add(alias, &row);
        }
        return result;
    }();
    return idx;
}

const UnitRow *find(std::string_view name)
{
    const Index &idx = index();
    if (auto it = idx.exact.find(name); it != idx.exact.end())
        return it->second;
    if (auto it = idx.folded.find(lower(name)); it != idx.folded.end())
        return it->second;
    return nullptr;
}

} // namespace

std::optional<std::string> canonicalUnit(std::string_view nameOrAlias)
{
    if (const UnitRow *row = find(nameOrAlias))
        return std::string(row->name);
    return std::nullopt;
}

std::string unitSymbol(std::string_view unit)
{
    const UnitRow *row = find(unit);
    if (!row)
        return std::string(unit);
    const std::string_view aliases = row->aliases;
    const auto end = aliases.find(' ');
    const std::string_view first = aliases.substr(0, end);
    return std::string(first.empty() ? row->name : first);
}

std::string quantityKind(std::string_view unit)
{
    const UnitRow *row = find(unit);
    return row ? std::string(row->kind) : std::string();
}

std::string dtdlUnitType(std::string_view kind)
{
    for (const auto &k : kKinds)
        if (kind == k.kind)
            return k.dtdlUnitType;
    return {};
}

bool isDtdlUnit(std::string_view unit)
{
    for (const auto &row : kUnits)
        if (unit == row.name)
            return row.dtdl;
    return false;
}

Result<UnitConversion> conversion(std::string_view from, std::string_view to)
{
    const UnitRow *a = find(from);
    const UnitRow *b = find(to);
    if (!a || !b)
        return Error{"unknown unit '" + std::string(!a ? from : to) + "'"};
    if (std::string_view(a->kind) != b->kind)
        return Error{"cannot convert " + std::string(from) + " to " + std::string(to) + " (" + a->kind +
                     " vs " + b->kind + ")"};
    UnitConversion c;
    c.from = a->name;
    c.to = b->name;
    if (a != b) {
        // base = v * fa + oa;  v' = (base - ob) / fb
        c.factor = a->factor / b->factor;
        c.offset = (a->offset - b->offset) / b->factor;
    }
    return c;
}

std::vector<std::string> unitsOfKind(std::string_view kind)
{
    std::vector<std::string> out;
    for (const auto &row : kUnits)
        if (kind.empty() || kind == row.kind)
            out.emplace_back(row.name);
    return out;
}

std::vector<std::string> quantityKinds()
{
    std::vector<std::string> out;
    for (const auto &k : kKinds)
        out.emplace_back(k.kind);
    return out;
}

} // namespace twin::model
