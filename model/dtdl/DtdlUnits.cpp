// Semantic types, unit types and units of DTDL v2 (core) and v3 (QuantitativeTypes extension v1).
#include "twin/model/dtdl/DtdlMetamodel.h"

#include <map>
#include <set>
#include <sstream>

namespace twin::model::dtdl::detail {

namespace {

const char *const kUnitTypes[][2] = {
    {"AccelerationUnit", "centimetrePerSecondSquared gForce metrePerSecondSquared"},
    {"AngleUnit", "degreeOfArc minuteOfArc radian secondOfArc turn"},
    {"AngularAccelerationUnit", "radianPerSecondSquared"},
    {"AngularVelocityUnit", "degreePerSecond radianPerSecond revolutionPerMinute revolutionPerSecond"},
    {"ApparentEnergyUnit", "gigavoltAmpereHour kilovoltAmpereHour megavoltAmpereHour voltAmpereHour"},
    {"ApparentPowerUnit", "gigavoltAmpere kilovoltAmpere megavoltAmpere millivoltAmpere voltAmpere"},
    {"AreaUnit", "acre hectare squareCentimetre squareFoot squareInch squareKilometre squareMetre "
                 "squareMillimetre"},
    {"CapacitanceUnit", "farad microfarad millifarad nanofarad picofarad"},
    {"Unitless", "partsPerBillion partsPerMillion partsPerQuadrillion partsPerTrillion percent unity"},
    {"CurrentUnit", "ampere kiloampere microampere milliampere"},
    {"DataRateUnit",
     "bitPerSecond bytePerSecond exbibitPerSecond exbibytePerSecond gibibitPerSecond "
     "gibibytePerSecond kibibitPerSecond kibibytePerSecond mebibitPerSecond mebibytePerSecond "
     "tebibitPerSecond tebibytePerSecond yobibitPerSecond yobibytePerSecond zebibitPerSecond "
     "zebibytePerSecond"},
    {"DataSizeUnit", "bit byte exbibit exbibyte gibibit gibibyte kibibit kibibyte mebibit mebibyte tebibit "
                     "tebibyte yobibit yobibyte zebibit zebibyte"},
    {"DensityUnit", "gramPerCubicMetre kilogramPerCubicMetre microgramPerCubicMetre milligramPerCubicMetre"},
    {"LengthUnit",
     "astronomicalUnit centimetre foot inch kilometre metre micrometre mile millimetre nanometre "
     "nauticalMile"},
    {"ChargeUnit", "ampereHour coulomb milliampereHour"},
    {"EnergyUnit",
     "britishThermalUnit electronvolt gigajoule gigawattHour joule kiloBritishThermalUnit kilojoule "
     "kilowattHour megaelectronvolt megajoule megawattHour milliwattHour terawattHour wattHour"},
    {"PowerUnit",
     "britishThermalUnitPerHour gigajoulePerHour gigawatt horsepower joulePerHour joulePerSecond "
     "kiloBritishThermalUnitPerHour kilojoulePerHour kilojoulePerSecond kilowatt kilowattHourPerYear "
     "megajoulePerHour megawatt microwatt milliwatt tonOfRefrigeration watt"},
    {"ForceUnit", "newton ounce pound ton"},
    {"FrequencyUnit", "gigahertz hertz kilohertz megahertz millihertz"},
    {"IlluminanceUnit", "footcandle lux"},
    {"InductanceUnit", "henry microhenry millihenry"},
    {"IonizingRadiationDoseUnit", "gray microgray microsievert milligray millisievert sievert"},
    {"IrradianceUnit", "wattPerSquareMetre"},
    {"LuminanceUnit", "candelaPerSquareMetre"},
    {"LuminousFluxUnit", "lumen"},
    {"LuminousIntensityUnit", "candela"},
    {"MagneticFluxUnit", "maxwell weber"},
    {"MagneticInductionUnit", "gauss tesla"},
    {"MassUnit", "gram kilogram massPound microgram milligram slug tonne"},
    {"MassFlowRateUnit", "gramPerHour gramPerSecond kilogramPerHour kilogramPerSecond massPoundPerHour"},
    {"PressureUnit", "bar decapascal hectopascal inchesOfMercury inchesOfWater kilopascal millibar "
                     "millimetresOfMercury pascal poundPerSquareInch"},
    {"RadioactivityUnit", "becquerel gigabecquerel kilobecquerel megabecquerel"},
    {"ReactiveEnergyUnit", "gigavoltAmpereReactiveHour kilovoltAmpereReactiveHour megavoltAmpereReactiveHour "
                           "voltAmpereReactiveHour"},
    {"ReactivePowerUnit", "gigavoltAmpereReactive kilovoltAmpereReactive megavoltAmpereReactive "
                          "millivoltAmpereReactive voltAmpereReactive"},
    {"ResistanceUnit", "kiloohm megaohm milliohm ohm"},
    {"SoundPressureUnit", "bel decibel"},
    {"TemperatureUnit", "degreeCelsius degreeFahrenheit kelvin"},
    {"TimeUnit", "day hour microsecond millisecond minute nanosecond second year"},
    {"TorqueUnit", "newtonMetre"},
    {"VelocityUnit",
     "centimetrePerSecond kilometrePerHour kilometrePerSecond knot metrePerHour metrePerSecond "
     "milePerHour milePerSecond"},
    {"VoltageUnit", "kilovolt megavolt microvolt millivolt volt"},
    {"VolumeUnit", "cubicCentimetre cubicFoot cubicInch cubicMetre fluidOunce gallon litre millilitre"},
    {"VolumeFlowRateUnit", "cubicFootPerMinute cubicMetrePerHour cubicMetrePerMinute cubicMetrePerSecond "
                           "gallonPerHour gallonPerMinute litrePerHour litrePerMinute litrePerSecond "
                           "millilitrePerHour millilitrePerMinute millilitrePerSecond"},
};

const char *const kSemanticTypes[][2] = {
    {"Acceleration", "AccelerationUnit"},
    {"Angle", "AngleUnit"},
    {"AngularAcceleration", "AngularAccelerationUnit"},
    {"AngularVelocity", "AngularVelocityUnit"},
    {"ApparentEnergy", "ApparentEnergyUnit"},
    {"ApparentPower", "ApparentPowerUnit"},
    {"Area", "AreaUnit"},
    {"Capacitance", "CapacitanceUnit"},
    {"Concentration", "Unitless"},
    {"Current", "CurrentUnit"},
    {"DataRate", "DataRateUnit"},
    {"DataSize", "DataSizeUnit"},
    {"Density", "DensityUnit"},
    {"Distance", "LengthUnit"},
    {"ElectricCharge", "ChargeUnit"},
    {"Energy", "EnergyUnit"},
    {"EnergyRate", "PowerUnit"},
    {"Force", "ForceUnit"},
    {"Frequency", "FrequencyUnit"},
    {"Humidity", "DensityUnit"},
    {"Illuminance", "IlluminanceUnit"},
    {"Inductance", "InductanceUnit"},
    {"IonizingRadiationDose", "IonizingRadiationDoseUnit"},
    {"Irradiance", "IrradianceUnit"},
    {"Latitude", "AngleUnit"},
    {"Length", "LengthUnit"},
    {"Longitude", "AngleUnit"},
    {"Luminance", "LuminanceUnit"},
    {"Luminosity", "PowerUnit"},
    {"LuminousFlux", "LuminousFluxUnit"},
    {"LuminousIntensity", "LuminousIntensityUnit"},
    {"MagneticFlux", "MagneticFluxUnit"},
    {"MagneticInduction", "MagneticInductionUnit"},
    {"Mass", "MassUnit"},
    {"MassFlowRate", "MassFlowRateUnit"},
    {"Power", "PowerUnit"},
    {"Pressure", "PressureUnit"},
    {"Radioactivity", "RadioactivityUnit"},
    {"ReactiveEnergy", "ReactiveEnergyUnit"},
    {"ReactivePower", "ReactivePowerUnit"},
    {"RelativeDensity", "Unitless"},
    {"RelativeHumidity", "Unitless"},
    {"Resistance", "ResistanceUnit"},
    {"SoundPressure", "SoundPressureUnit"},
    {"Temperature", "TemperatureUnit"},
    {"Thrust", "ForceUnit"},
    {"TimeSpan", "TimeUnit"},
    {"Torque", "TorqueUnit"},
    {"Velocity", "VelocityUnit"},
    {"Voltage", "VoltageUnit"},
    {"Volume", "VolumeUnit"},
    {"VolumeFlowRate", "VolumeFlowRateUnit"},
};

struct Tables
{
    std::map<std::string, std::set<std::string>> units; // unit type -> units
    std::map<std::string, std::string> semantic;        // semantic type -> unit type
};

const Tables &tables()
{
    static const Tables t = [] {
        Tables result;
        for (const auto &row : kUnitTypes) {
            std::istringstream in(row[1]);
            std::string unit;
            while (in >> unit)
                result.units[row[0]].insert(unit);
        }
        for (const auto &row : kSemanticTypes)
            result.semantic[row[0]] = row[1];
        return result;
    }();
    return t;
}

std::string afterPrefix(const std::string &value, const std::string &prefix, const std::string &suffix)
{
    if (value.size() > prefix.size() + suffix.size() && value.rfind(prefix, 0) == 0 &&
        value.compare(value.size() - suffix.size(), suffix.size(), suffix) == 0)
        return value.substr(prefix.size(), value.size() - prefix.size() - suffix.size());
    return {};
}

} // namespace

bool isSemanticType(const std::string &term)
{
    return tables().semantic.count(term) > 0;
}

std::string unitTypeOf(const std::string &semanticType)
{
    auto it = tables().semantic.find(semanticType);
    return it == tables().semantic.end() ? std::string() : it->second;
}

bool isUnitOfType(const std::string &unit, const std::string &unitType)
{
    auto it = tables().units.find(unitType);
    return it != tables().units.end() && it->second.count(unit) > 0;
}

std::string semanticTypeFromDtmi(int version, const std::string &value)
{
    // v3 uses QuantitativeTypes v1, v4 its v2 (the same terms).
    std::string term = version == 2 ? afterPrefix(value, "dtmi:standard:class:", ";2")
                       : version == 3
                           ? afterPrefix(value, "dtmi:dtdl:extension:quantitativeTypes:v1:class:", "")
                           : afterPrefix(value, "dtmi:dtdl:extension:quantitativeTypes:v2:class:", "");
    return isSemanticType(term) ? term : std::string();
}

std::string unitFromDtmi(int version, const std::string &value)
{
    return version == 2   ? afterPrefix(value, "dtmi:standard:unit:", ";2")
           : version == 3 ? afterPrefix(value, "dtmi:dtdl:extension:quantitativeTypes:v1:unit:", "")
                          : afterPrefix(value, "dtmi:dtdl:extension:quantitativeTypes:v2:unit:", "");
}

} // namespace twin::model::dtdl::detail
