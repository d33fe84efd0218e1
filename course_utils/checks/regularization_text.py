"""What checks.regularization says: the mistakes it names in lesson 03's model with dropout."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "signature": {
            "es": "el constructor debe recibir la probabilidad de dropout con el nombre «p»: "
            "las celdas siguientes crean el modelo con «MLPDropout(p=0.5)».",
            "en": "the constructor must take the dropout probability under the name p: the "
            "cells below build the model with MLPDropout(p=0.5).",
        },
        "shape": {
            "es": "para 8 imágenes (8, 1, 28, 28) devolvió la forma {shape}; se esperaba (8, 10).",
            "en": "for 8 images (8, 1, 28, 28) it returned shape {shape}; expected (8, 10).",
        },
        "not_tensor": {
            "es": "para 8 imágenes (8, 1, 28, 28) devolvió un «{kind}»; se esperaba un tensor "
            "de forma (8, 10).",
            "en": "for 8 images (8, 1, 28, 28) it returned a {kind}; expected a tensor of "
            "shape (8, 10).",
        },
        "size": {
            "es": "tiene {n} parámetros; la red debe seguir siendo 784 → 256 → 256 → 10 "
            "({expected}); el dropout no añade ninguno.",
            "en": "it has {n} parameters; the network must stay 784 → 256 → 256 → 10 "
            "({expected}); dropout adds none.",
        },
        "eval_active": {
            "es": "en modo evaluación («model.eval()») dos pasadas sobre las mismas imágenes "
            "dan resultados distintos: el dropout sigue activo al evaluar (con «F.dropout», "
            "pásale «training=self.training»).",
            "en": "in evaluation mode (model.eval()) two passes over the same images give "
            "different results: dropout stays on at evaluation (with F.dropout, pass it "
            "training=self.training).",
        },
        "after_output": {
            "es": "aplica dropout tras la capa de salida (a los 10 logits): borra "
            "puntuaciones de clases al azar. El dropout va tras las capas ocultas.",
            "en": "it applies dropout after the output layer (to the 10 logits): that "
            "erases class scores at random. Dropout belongs after the hidden layers.",
        },
        "output_changed": {
            "es": "la salida del modelo no es la de su última capa lineal: devuelve los "
            "logits tal cual, sin nada detrás.",
            "en": "the model's output is not its last linear layer's: return the logits as "
            "they are, with nothing after them.",
        },
        "no_dropout": {
            "es": "en modo entrenamiento no se apaga ninguna neurona: falta el dropout tras "
            "las dos capas ocultas.",
            "en": "in training mode no neuron is ever switched off: dropout is missing after "
            "both hidden layers.",
        },
        "missing": {
            "es": "la capa oculta {layer} sale sin dropout: se pide uno tras cada una de las "
            "dos capas ocultas.",
            "en": "hidden layer {layer} comes out without dropout: the exercise asks for one "
            "after each of the two hidden layers.",
        },
        "wrong_p": {
            "es": "con «MLPDropout({p})» el dropout apaga una fracción {got} de las "
            "neuronas: pasa «p» a las capas de dropout (una sola vez por capa).",
            "en": "with MLPDropout({p}) dropout switches off a fraction {got} of the "
            "neurons: pass p to the dropout layers (once per layer).",
        },
        "unscaled": {
            "es": "el dropout apaga neuronas pero deja las demás como estaban: en modo "
            "entrenamiento, las que sobreviven se multiplican por 1/(1 − p) (con p = {p}, por "
            "{scale:.3g}), para que la salida valga en promedio lo mismo; revisa «MyDropout».",
            "en": "dropout switches neurons off but leaves the others as they were: in "
            "training mode the survivors are multiplied by 1/(1 − p) (with p = {p}, by "
            "{scale:.3g}) so that the output is the same on average; check MyDropout.",
        },
        "on_input": {
            "es": "también aplica dropout a la imagen de entrada; el ejercicio lo pide solo "
            "tras las capas ocultas.",
            "en": "it also applies dropout to the input image; the exercise asks for it only "
            "after the hidden layers.",
        },
        "no_default": {
            "es": "«MLPDropout()», sin argumentos, no funciona: da a «p» el valor por defecto "
            "{p}, como la fuente; las celdas siguientes entrenan «MLPDropout()».",
            "en": "MLPDropout() without arguments does not work: give p the default value "
            "{p}, like the source; the cells below train MLPDropout().",
        },
        "default_p": {
            "es": "sin argumentos, «MLPDropout()» apaga una fracción {got} de las neuronas: "
            "el valor por defecto de «p» debe ser {p}, el de la fuente, con cuyas cifras "
            "se compara la tabla de resultados.",
            "en": "without arguments, MLPDropout() switches off a fraction {got} of the "
            "neurons: p's default value must be {p}, the source's, whose numbers the results "
            "table compares with.",
        },
    }
)
